import { describeNetworkError } from '../../platform/http/networkError.js';

/** The HTTP status of a failed API call (the client's ApiException, the informer's errors), if it has one. */
export function statusCodeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof statusCode === 'number') return statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** What went wrong, naming no host: it is shown to clients in check reasons. */
export function describeApiError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const status = statusCodeOf(error);
  if (status !== undefined) {
    const message = statusMessage((error as { body?: unknown }).body);
    return `HTTP ${status}${message ? `: ${message}` : ''}`;
  }
  return describeNetworkError(error);
}

/** The `message` of a Kubernetes Status body, parsed or as the JSON text the client may hand over. */
function statusMessage(body: unknown): string | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const message = (value as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}
