import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What every log line and outgoing call of one request carries. */
export interface RequestContext {
  readonly requestId: string;
}

/** When the HTTP handler received a request (performance.now()), in the request's GraphQL context. */
export interface ReceivedAt {
  readonly receivedAt: number;
}

/** Header (HTTP) and metadata key (gRPC) that carry the request id between processes. */
export const REQUEST_ID_HEADER = 'x-request-id';

const storage = new AsyncLocalStorage<RequestContext>();
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's id when it is a sane token, otherwise a new UUID (ids end up in logs). */
export function requestIdFrom(header: string | readonly string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return typeof value === 'string' && SAFE_ID.test(value) ? value : randomUUID();
}

/** Runs `fn` with `context` as the current request for everything it awaits. */
export function runInRequest<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
