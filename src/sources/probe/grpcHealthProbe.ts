import {
  credentials,
  loadPackageDefinition,
  status,
  type Client,
  type GrpcObject,
  type ServiceClientConstructor,
  type ServiceError,
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

type ServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';
interface HealthCheckResponse {
  status: ServingStatus;
}
interface HealthListResponse {
  statuses: Record<string, HealthCheckResponse>;
}

/** A health entry's name that may go into a reason (reasons reach clients): a plain name, not free text. */
const ENTRY_NAME = /^[A-Za-z][A-Za-z0-9._/-]{0,63}$/;

/**
 * Probes a gRPC server with the standard grpc.health.v1 Health/Check over one reused
 * channel. When it is not serving, Health/List (where the server has it) says which of
 * its other entries are not serving either, e.g. the database it needs: the reason then
 * names them ("reports NOT_SERVING: database unavailable").
 */
export function grpcHealthProbe(
  backend: string,
  subgraphs: readonly string[],
  address: string,
  service: string,
  timeoutMs: number,
): ProbeTarget {
  const client: Client = new HealthClient(address, credentials.createInsecure(), CHANNEL_OPTIONS);
  const call = <Req, Res>(method: 'Check' | 'List', request: Req) =>
    new Promise<{ error: ServiceError | null; response?: Res }>((resolve) => {
      const definition = HealthClient.service[method]!;
      client.makeUnaryRequest(
        definition.path,
        definition.requestSerialize,
        definition.responseDeserialize,
        request,
        { deadline: Date.now() + timeoutMs },
        (error: ServiceError | null, response?: Res) => resolve({ error, response }),
      );
    });
  const alsoNotServing = async (): Promise<string[]> => {
    const { response } = await call<object, HealthListResponse>('List', {});
    return Object.entries(response?.statuses ?? {})
      .filter(([name, entry]) => name !== '' && name !== service && entry.status !== 'SERVING' && ENTRY_NAME.test(name))
      .map(([name]) => name)
      .sort()
      .slice(0, 5);
  };
  return {
    id: `grpc ${backend}`,
    subgraphs,
    backend,
    close: () => client.close(),
    probe: async (): Promise<ProbeResult> => {
      const { error, response } = await call<{ service: string }, HealthCheckResponse>('Check', { service });
      if (error) {
        const why =
          error.code === status.DEADLINE_EXCEEDED ? `no answer within ${timeoutMs} ms` : describeNetworkError(error);
        return { ok: false, reason: `${status[error.code]} (${why})` };
      }
      if (response?.status === 'SERVING') return { ok: true, detail: 'SERVING' };
      const reports = `reports ${response?.status ?? 'no status'}`;
      const others = await alsoNotServing();
      return { ok: false, reason: others.length ? `${reports}: ${others.join(', ')} unavailable` : reports };
    },
  };
}
