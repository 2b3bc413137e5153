import pg from 'pg';
import { describeNetworkError } from '../../../src/platform/http/networkError.js';
import type { Logger } from '../../../src/platform/logger.js';
import { DatabaseUnavailable, sqlState, type Database, type Queryable } from './database.js';

export interface PostgresDatabaseOptions {
  /** `postgres://user@host:port/database`; a password not in it comes from `PGPASSWORD`, as libpq does. */
  url: string;
  logger: Logger;
  /** Connections per process. Default 5: three replicas of two services stay far below the server's 100. */
  maxConnections?: number;
  /** A connection or statement slower than this fails as unavailable. Default 2000 ms. */
  timeoutMs?: number;
}

/** PostgreSQL through a `pg` pool: every failure to reach the server becomes `DatabaseUnavailable`. */
export function postgresDatabase(options: PostgresDatabaseOptions): Database {
  const timeoutMs = options.timeoutMs ?? 2000;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 5,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    idleTimeoutMillis: 10_000,
    application_name: 'affordance-gateway-demo',
  });
  // An idle connection the server dropped (a restart) is reported here; without a listener
  // the process would crash. The pool replaces it on the next checkout.
  pool.on('error', (error) => options.logger.debug({ err: error }, 'idle database connection closed'));
  const description = describe(options.url);
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw asUnavailable(error) ?? error;
    }
  };
  const queryable = (client: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <Row extends object>(sql: string, params: readonly unknown[] = []) =>
      (await client.query<Row>(sql, [...params])).rows,
    // Without parameters pg uses the simple query protocol, which allows several statements.
    exec: async (sql: string) => void (await client.query(sql)),
  });
  const direct = queryable(pool);
  return {
    description,
    query: (sql, params) => run(() => direct.query(sql, params)),
    exec: (sql) => run(() => direct.exec(sql)),
    transaction: (work) =>
      run(async () => {
        const client = await pool.connect();
        let broken: unknown;
        try {
          await client.query('BEGIN');
          const result = await work(queryable(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          broken = asUnavailable(error);
          if (!broken) await client.query('ROLLBACK').catch((rollback: unknown) => (broken = rollback));
          throw error;
        } finally {
          // A connection that failed mid-transaction is closed, not returned to the pool.
          client.release(broken instanceof Error ? broken : undefined);
        }
      }),
    close: () => pool.end(),
  };
}

/** The URL without its password, for logs: `postgres://shop@postgres:5432/shop`. */
function describe(url: string): string {
  const parsed = URL.parse(url);
  if (!parsed) return 'PostgreSQL (unparsable URL)';
  parsed.password = '';
  return `PostgreSQL at ${parsed.host}${parsed.pathname}`;
}

/**
 * `DatabaseUnavailable` for a failure to reach or keep the server (no SQLSTATE: refused,
 * timed out, connection ended; or a class that says the server cannot serve: 08
 * connection, 57P shutdown or start-up, 53300 too many connections, 28 credentials,
 * 3D000 no such database), undefined for an error of the statement itself.
 */
export function asUnavailable(error: unknown): DatabaseUnavailable | undefined {
  if (error instanceof DatabaseUnavailable) return error;
  const state = sqlState(error);
  const because = (reason: string) => new DatabaseUnavailable(reason, { cause: error });
  if (state === undefined) {
    // pg gives its own timeouts and ended connections no code, only these messages.
    const message = error instanceof Error ? error.message.toLowerCase() : '';
    if (message.includes('timeout')) return because('no answer in time');
    if (message.includes('connection terminated')) return because('connection closed by the server');
    return because(describeNetworkError(error));
  }
  if (state.startsWith('08')) return because('connection failed');
  if (state.startsWith('57P')) return because('the server is shutting down or starting');
  if (state === '53300') return because('the server has too many connections');
  if (state.startsWith('28')) return because('the server refused the credentials');
  if (state === '3D000') return because('the database does not exist');
  return undefined;
}
