import { Metadata, type MetadataOptions } from '@grpc/grpc-js';
import type { Context } from '@opentelemetry/api';
import { currentRequestId, REQUEST_ID_HEADER } from '../../src/platform/requestContext.js';
import { extractContext, injectContext } from '../../src/platform/tracing.js';

/** Trailing metadata of an UNAVAILABLE status naming the backend of the service that is down (e.g. `database`). */
export const BACKEND_METADATA = 'backend';

/** Metadata for an outgoing call: the current request id and trace context. */
export function outgoingMetadata(options: MetadataOptions = {}): Metadata {
  const metadata = new Metadata(options);
  const requestId = currentRequestId();
  if (requestId) metadata.set(REQUEST_ID_HEADER, requestId);
  injectContext(metadata, { set: (carrier, key, value) => carrier.set(key, value) });
  return metadata;
}

/** The request id and trace context an incoming call carries. */
export function incomingContext(metadata: Metadata): { requestId: string | undefined; trace: Context } {
  const map = metadata.getMap();
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const headers = Object.fromEntries(Object.entries(map).map(([key, value]) => [key, text(value)]));
  return { requestId: headers[REQUEST_ID_HEADER], trace: extractContext(headers) };
}
