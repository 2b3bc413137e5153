import {
  credentials,
  loadPackageDefinition,
  status,
  type Client,
  type GrpcObject,
  type ServiceClientConstructor,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';
import { describeNetworkError } from '../../platform/http/networkError.js';
import type { ProbeResult, ProbeTarget } from './probe.js';

const health = (
  (loadPackageDefinition(loadSync(protoPath, { enums: String, defaults: true })).grpc as GrpcObject)
    .health as GrpcObject
).v1 as GrpcObject;
/** The client of the standard grpc.health.v1 Health service, from grpc-health-check's proto. */
export const HealthClient = health.Health as ServiceClientConstructor;

/** Reconnect quickly after a restart; grpc-js otherwise backs off for up to two minutes. */
const CHANNEL_OPTIONS = { 'grpc.initial_reconnect_backoff_ms': 100, 'grpc.max_reconnect_backoff_ms': 1000 };

interface HealthCheckResponse {
  status: 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';
}

/** Probes a gRPC server with the standard grpc.health.v1 Health/Check over one reused channel. */
export function grpcHealthProbe(
  backend: string,
  subgraphs: readonly string[],
  address: string,
  service: string,
  timeoutMs: number,
): ProbeTarget {
  const client: Client = new HealthClient(address, credentials.createInsecure(), CHANNEL_OPTIONS);
  const check = HealthClient.service.Check!;
  return {
    id: `grpc ${backend}`,
    subgraphs,
    close: () => client.close(),
    probe: () =>
      new Promise<ProbeResult>((resolve) => {
        client.makeUnaryRequest(
          check.path,
          check.requestSerialize,
          check.responseDeserialize,
          { service },
          { deadline: Date.now() + timeoutMs },
          (error, response?: HealthCheckResponse) => {
            if (error) {
              const why =
                error.code === status.DEADLINE_EXCEEDED
                  ? `no answer within ${timeoutMs} ms`
                  : describeNetworkError(error);
              resolve({ ok: false, reason: `${status[error.code]} (${why})` });
            } else if (response?.status === 'SERVING') resolve({ ok: true, detail: 'SERVING' });
            else resolve({ ok: false, reason: `reports ${response?.status ?? 'no status'}` });
          },
        );
      }),
  };
}
