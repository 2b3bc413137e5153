/**
 * What the demo services need of a database, whichever driver is behind it: PostgreSQL
 * over `pg` (a server: the cluster, the tests against a real server) or PGlite (embedded:
 * the local stack and the fast suite). Both speak PostgreSQL's SQL, so the stores and
 * their migrations are written once.
 */
export interface Queryable {
  /** One statement with `$1`… parameters; the rows as objects keyed by column name. */
  query<Row extends object>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Several statements separated by `;`, without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  /** Which database, for logs and messages: never a password. */
  readonly description: string;
  /**
   * Runs `work` in one transaction on one connection: committed when it resolves (and only
   * then does this resolve), rolled back when it throws.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * The database could not be reached or dropped the connection: not the caller's mistake,
 * and a retry may work. `reason` names no host ("connection refused"), since it can reach
 * clients.
 */
export class DatabaseUnavailable extends Error {
  override readonly name = 'DatabaseUnavailable';
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`database unavailable: ${reason}`, options);
  }
}

/** SQLSTATE 23505: a row with that unique key exists (e.g. a customer's email). */
export const UNIQUE_VIOLATION = '23505';

/** The SQLSTATE of a statement the server refused, or undefined for anything else. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
