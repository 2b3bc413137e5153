import { AFFORDANCES_QUERY, type AffordancesJson } from './affordancesJson.js';
import { ClientError } from './clientError.js';
import { ExitCode } from './exitCodes.js';

export interface GraphQLErrorJson {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export interface GraphQLResponseJson {
  readonly data?: Readonly<Record<string, unknown>> | null;
  readonly errors?: readonly GraphQLErrorJson[];
}

/** Talks GraphQL over HTTP to one gateway; every failure to reach it is a ClientError (exit 4). */
export class GatewayClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs: number,
    /** A JWT sent as `Authorization: Bearer …` with every request (--token, AG_TOKEN). */
    private readonly token?: string,
  ) {}

  /** The headers that say who calls: the token, when there is one. */
  get authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  get graphqlUrl(): string {
    return `${this.baseUrl}/graphql`;
  }

  /** POSTs one operation; GraphQL errors are returned, not thrown (they are the operation's outcome). */
  async execute(query: string, variables: Readonly<Record<string, unknown>> = {}): Promise<GraphQLResponseJson> {
    let response: Response;
    try {
      response = await fetch(this.graphqlUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...this.authHeaders,
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw unreachable(this.baseUrl, error, this.timeoutMs);
    }
    const text = await response.text().catch((error: unknown) => {
      throw unreachable(this.baseUrl, error, this.timeoutMs);
    });
    const body = parseGraphQLResponse(text);
    if (!body) {
      const type = response.headers.get('content-type') ?? 'no content type';
      throw new ClientError(
        `${this.graphqlUrl} answered HTTP ${response.status} (${type}), not a GraphQL response; ` +
          'is --url (or AG_GATEWAY_URL) the gateway?',
        ExitCode.UNREACHABLE,
        'GATEWAY_UNREACHABLE',
        { status: response.status },
      );
    }
    return body;
  }

  /** The current affordances: what can be called now, what cannot and why. */
  async affordances(): Promise<AffordancesJson> {
    const result = await this.execute(AFFORDANCES_QUERY);
    const affordances = result.data?.affordances as AffordancesJson | undefined;
    if (!affordances) {
      const messages = result.errors?.map((e) => e.message).join('; ') ?? 'no data';
      throw new ClientError(
        `the gateway at ${this.baseUrl} did not answer the affordances query: ${messages}`,
        ExitCode.FAILED,
        'AFFORDANCES_FAILED',
      );
    }
    return affordances;
  }
}

function parseGraphQLResponse(text: string): GraphQLResponseJson | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || !('data' in value || 'errors' in value)) return undefined;
  return value as GraphQLResponseJson;
}

/** "connect ECONNREFUSED 127.0.0.1:4000" rather than fetch's bare "fetch failed". */
export function describeNetworkError(error: unknown): string {
  // Duck-typed: errors from fetch may come from another realm (e.g. under a test runner's VM).
  const { name, message, cause } = asError(error);
  if (name === 'TimeoutError') return 'timed out';
  if (cause) {
    const { message: causeMessage, errors } = asError(cause);
    // Happy eyeballs: an AggregateError with one error per address tried.
    const first = Array.isArray(errors) ? asError(errors[0]).message : undefined;
    return first || causeMessage || message || String(error);
  }
  return message || String(error);
}

function asError(value: unknown): { name?: string; message?: string; cause?: unknown; errors?: unknown } {
  return typeof value === 'object' && value !== null ? (value as { name?: string; message?: string }) : {};
}

export function unreachable(baseUrl: string, error: unknown, timeoutMs?: number): ClientError {
  const detail = describeNetworkError(error);
  const timedOut = detail === 'timed out' && timeoutMs !== undefined ? ` after ${timeoutMs} ms (--timeout)` : '';
  return new ClientError(
    `cannot reach the gateway at ${baseUrl}: ${detail}${timedOut}. Is it running? ` +
      'Point the client at it with --url or AG_GATEWAY_URL.',
    ExitCode.UNREACHABLE,
    'GATEWAY_UNREACHABLE',
  );
}
