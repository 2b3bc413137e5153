import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { killed, untilReady } from '../../../helpers/serverProcess.js';
import { freePort } from '../../../helpers/freePort.js';

/** Debian's PostgreSQL (apt-get install -y postgresql): its newest major under /usr/lib/postgresql, or PG_BIN. */
const PG_BIN =
  process.env.PG_BIN ??
  (existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((major) => existsSync(join('/usr/lib/postgresql', major, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
        .map((major) => join('/usr/lib/postgresql', major, 'bin'))[0]
    : undefined);
export const havePostgres = PG_BIN !== undefined;
const ci = process.env.CI === 'true';

/**
 * PostgreSQL refuses to run as root. As root (CI, this machine) the server runs as the
 * `postgres` account the Debian package creates (else `nobody`), through setpriv, which
 * executes it in place: the pid is the server's, and signals reach it directly.
 */
const asRoot = process.getuid?.() === 0;
function accountOf(name: string): { uid: number; gid: number } | undefined {
  const id = (flag: string) => spawnSync('id', [flag, name], { encoding: 'utf8' });
  const [uid, gid] = [id('-u'), id('-g')];
  return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout), gid: Number(gid.stdout) } : undefined;
}
const account = asRoot ? (accountOf('postgres') ?? accountOf('nobody')) : undefined;

/** `describe` for tests against a real PostgreSQL server: skipped with a message without one, unless CI=true. */
export function describeWithPostgres(name: string, tests: () => void): void {
  if (!havePostgres && !ci) {
    console.warn(`SKIPPED ${name}: no PostgreSQL (apt-get install -y postgresql). With CI=true it fails instead.`);
  }
  (havePostgres || ci ? describe : describe.skip)(name, tests);
}

/** The role the services log in as, and its password (as a Secret would hold it). */
export const ROLE = 'demo';
export const PASSWORD = 'demo-password-for-tests';

/**
 * A real PostgreSQL server in a temporary directory (its data, its unix socket), on a free
 * loopback port, with password authentication over TCP. `kill` ends it with SIGKILL (the
 * server and its backends: a crash); `start` again brings it back on the same data and
 * port, which recovers from its write-ahead log as after any crash.
 */
export class PostgresServer implements AsyncDisposable {
  private process?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'ag-postgres-'));
  private readonly data = join(this.dir, 'data');
  port = 0;

  /** A URL for the database `name`, without the password (services read PGPASSWORD, as in the cluster). */
  url(name: string): string {
    return `postgres://${ROLE}@127.0.0.1:${this.port}/${name}`;
  }

  /** Initializes the data directory on first use; resolves once the server accepts connections. */
  async start(): Promise<this> {
    if (!PG_BIN) throw new Error('no PostgreSQL: install it (apt-get install -y postgresql), as .ci/run does');
    this.port ||= await freePort();
    if (!existsSync(this.data)) this.initdb();
    const [command, args] = this.command(join(PG_BIN, 'postgres'), [
      ...['-D', this.data, '-p', String(this.port), '-k', this.dir],
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=100'],
    ]);
    // Its own process group, so `kill` reaches the backends too.
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    this.process = child;
    await untilReady(child, 'postgres', 'stderr', 'database system is ready to accept connections');
    return this;
  }

  /** A new, empty database on this server. */
  async createDatabase(name: string): Promise<string> {
    await this.admin((client) => client.query(`CREATE DATABASE ${name} OWNER ${ROLE}`));
    return this.url(name);
  }

  /** Runs `work` with a client logged in over TCP with the password, on database `name`. */
  async admin<T>(work: (client: pg.Client) => Promise<T>, name = 'postgres'): Promise<T> {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: this.port,
      user: ROLE,
      password: PASSWORD,
      database: name,
    });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  /** Kills the server and its backends (SIGKILL to its process group) and resolves once it has exited. */
  async kill(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    await killed(child, { group: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private initdb(): void {
    const passwordFile = join(this.dir, 'password');
    writeFileSync(passwordFile, `${PASSWORD}\n`);
    if (account) {
      chownSync(this.dir, account.uid, account.gid);
      chownSync(passwordFile, account.uid, account.gid);
    }
    const [command, args] = this.command(join(PG_BIN!, 'initdb'), [
      ...['-D', this.data, '-U', ROLE, '--pwfile', passwordFile, '-E', 'UTF8', '--no-sync'],
      ...['--auth-local=trust', '--auth-host=scram-sha-256'],
    ]);
    const result = spawnSync(command, args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`initdb failed (${result.status}):\n${result.stdout}${result.stderr}`);
  }

  /** The command line, run as the unprivileged account when this process is root. */
  private command(binary: string, args: string[]): [string, string[]] {
    if (!asRoot) return [binary, args];
    if (!account) throw new Error('running as root and there is no postgres or nobody account to run PostgreSQL as');
    return ['setpriv', [`--reuid=${account.uid}`, `--regid=${account.gid}`, '--clear-groups', binary, ...args]];
  }
}
