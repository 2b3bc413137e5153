/**
 * A network failure in words that name no host or address, so it can be shown to
 * clients: "connection refused", "no answer within 5000 ms", … Pure.
 */
export function describeNetworkError(error: unknown, timeoutMs?: number): string {
  const { name, code, message, cause } = fieldsOf(error);
  const inner = cause === undefined ? undefined : fieldsOf(cause);
  const codeOf = code ?? inner?.code ?? /\b(E[A-Z]{3,}|UND_ERR_[A-Z_]+)\b/.exec(message ?? '')?.[1];
  const timedOut = name === 'TimeoutError' || name === 'AbortError' || /deadline exceeded/i.test(message ?? '');
  if (timedOut || codeOf?.includes('TIMEOUT') || codeOf === 'ETIMEDOUT') {
    return timeoutMs === undefined ? 'no answer in time' : `no answer within ${timeoutMs} ms`;
  }
  switch (codeOf) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return 'connection closed by the other side';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case undefined:
      return 'network error';
    default:
      return `network error (${codeOf})`;
  }
}

interface ErrorFields {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
}

// Duck-typed: errors from fetch may come from another realm, where instanceof Error fails.
function fieldsOf(error: unknown): ErrorFields {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const { name, code, message, cause } = error as Record<string, unknown>;
  return {
    name: typeof name === 'string' ? name : undefined,
    code: typeof code === 'string' ? code : undefined,
    message: typeof message === 'string' ? message : undefined,
    cause,
  };
}

/** The other side closed the connection: typical of a pooled keep-alive socket the peer dropped. */
export function isClosedConnection(error: unknown): boolean {
  const { code, cause } = fieldsOf(error);
  return ['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE'].includes(code ?? fieldsOf(cause).code ?? '');
}

/**
 * Runs `send` again, once, when it failed on a closed connection: a reused keep-alive
 * socket can die (the peer restarted) just as a request goes out on it. Only for
 * requests that are safe to repeat.
 */
export async function retryIfConnectionClosed<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (!isClosedConnection(error)) throw error;
    return send();
  }
}
