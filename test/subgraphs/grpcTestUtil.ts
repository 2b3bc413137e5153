import { credentials, status, type Client, type ServiceError } from '@grpc/grpc-js';
import { HealthClient } from '../../src/sources/probe/grpcHealthProbe.js';

/** What a failed gRPC call rejected with: its status name and details. */
export interface GrpcFailure {
  code: string;
  details: string;
}

/**
 * Awaits a call that must fail and returns its status as a name (e.g. 'INVALID_ARGUMENT'),
 * so a mismatch in a test reads as names rather than numbers. Fails if the call succeeds.
 */
export async function grpcFailure(call: Promise<unknown>): Promise<GrpcFailure> {
  let result: unknown;
  try {
    result = await call;
  } catch (error) {
    const e = error as Partial<ServiceError>;
    if (typeof e.code !== 'number') throw error;
    return { code: status[e.code] ?? String(e.code), details: e.details ?? '' };
  }
  throw new Error(`expected the gRPC call to fail, it answered ${JSON.stringify(result)}`);
}

/** A plain grpc.health.v1 Health client, loaded from the proto shipped with grpc-health-check. */
export class HealthCheckClient {
  private readonly client: Client;

  constructor(address: string) {
    this.client = new HealthClient(address, credentials.createInsecure());
  }

  /** Health/Check for one service name; resolves with the status name, rejects with the gRPC error. */
  check(service: string, deadlineMs = 2000): Promise<string> {
    const method = HealthClient.service.Check!;
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        { service },
        { deadline: Date.now() + deadlineMs },
        (error: ServiceError | null, response?: { status: string }) =>
          error ? reject(error) : resolve(response?.status ?? 'no status'),
      );
    });
  }

  close(): void {
    this.client.close();
  }
}
