import { fileURLToPath } from 'node:url';
import { loadSync } from '@grpc/proto-loader';
import { loadPackageDefinition, type GrpcObject, type ServiceClientConstructor } from '@grpc/grpc-js';

/** protos/invoices.proto, found relative to this file in the source tree and in dist/. */
export const INVOICES_PROTO = fileURLToPath(new URL('../../protos/invoices.proto', import.meta.url));

/** Field names as proto-loader presents them (camelCase, int64 as number, enums as names). */
export interface Invoice {
  id: string;
  customerId: string;
  amountCents: number;
  currency: string;
  status: 'INVOICE_STATUS_UNSPECIFIED' | 'INVOICE_STATUS_OPEN' | 'INVOICE_STATUS_PAID' | 'INVOICE_STATUS_VOID';
  description: string;
  createdAt: string;
}
export interface ListInvoicesByCustomerRequest {
  customerIds: string[];
}
export interface ListInvoicesRequest {
  limit: number;
}
export interface ListInvoicesResponse {
  invoices: Invoice[];
}
export interface GetInvoiceRequest {
  id: string;
}
export interface CreateInvoiceRequest {
  customerId: string;
  amountCents: number;
  currency: string;
  description: string;
}

const packageDefinition = loadSync(INVOICES_PROTO, {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
});

const invoicesPackage = (loadPackageDefinition(packageDefinition).invoices as GrpcObject).v1 as GrpcObject;

/** The generic client/service constructor for invoices.v1.InvoiceService. */
export const InvoiceServiceClient = invoicesPackage.InvoiceService as ServiceClientConstructor;

/** Fully qualified service name, as used by grpc.health.v1 checks. */
export const INVOICE_SERVICE_NAME = 'invoices.v1.InvoiceService';
