import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lines, stop } from '../client/cliProcess.js';
import { processAlive } from '../helpers/processAlive.js';
import { Backends } from '../helpers/servers.js';

/** One JSON log line of the gateway. */
interface LogLine {
  msg: string;
  pid: number;
  worker?: number;
  url?: string;
  admin?: string;
}

/** POSTs `{ __typename }` on a connection of its own (the primary hands each new connection to a worker). */
function typename(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/graphql`,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', connection: 'close' } },
      (res) => {
        res.resume().on('end', () => resolve(res.statusCode!));
      },
    );
    req.on('error', reject).end('{"query":"{ __typename }"}');
  });
}

describe('server.workers: gateway processes sharing one port', () => {
  const backends = new Backends();
  let gateway: ChildProcess;
  let logs: Lines;
  let url: string;
  let admin: string;
  /** Pid of the worker serving in each slot. */
  const workers = new Map<number, number>();
  const log = (line: string) => JSON.parse(line) as LogLine;

  /** Waits for `count` more workers to listen, from log line `from` on; records their pids. */
  async function listening(count: number, from = 0): Promise<number> {
    let at = from;
    for (let i = 0; i < count; i++) {
      const { line, index } = await logs.next(/"msg":"gateway listening"/, at);
      const entry = log(line);
      workers.set(entry.worker!, entry.pid);
      url = entry.url!.replace(/\/graphql$/, '');
      at = index + 1;
    }
    return at;
  }

  beforeAll(async () => {
    await backends.startAll();
    const config = backends.gatewayConfig();
    const file = join(mkdtempSync(join(tmpdir(), 'workers-')), 'gateway.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...config,
        server: { ...config.server, port: 0, adminPort: 0, workers: 2, shutdownGraceMs: 5000 },
      }),
    );
    gateway = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'gateway', '--config', file], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, LOG_LEVEL: 'info' },
    });
    logs = new Lines(gateway.stdout!);
    admin = log((await logs.next(/"msg":"gateway workers starting"/)).line).admin!;
    await listening(2);
  }, 120_000);
  afterAll(async () => {
    await stop(gateway, 'SIGKILL');
    for (const pid of workers.values()) if (processAlive(pid)) process.kill(pid, 'SIGKILL');
    await backends.stopAll();
  });

  test('both workers answer on the one port; the admin port serves the metrics of both', async () => {
    expect(new Set(workers.values()).size).toBe(2);
    for (let i = 0; i < 20; i++) expect(await typename(url)).toBe(200);
    const text = await (await fetch(`${admin}/metrics`)).text();
    const counts = [0, 1].map((slot) =>
      [...text.matchAll(new RegExp(`^graphql_requests_total\\{[^}]*worker="${slot}"[^}]*\\} (\\d+)$`, 'gm'))]
        .map((m) => Number(m[1]))
        .reduce((a, b) => a + b, 0),
    );
    expect(counts.every((count) => count > 0)).toBe(true);
    expect(counts[0]! + counts[1]!).toBeGreaterThanOrEqual(20);
    expect((await fetch(`${admin}/readyz`)).status).toBe(200);
  });

  test('a worker that dies is replaced in its slot; the other serves meanwhile', async () => {
    const [slot, pid] = [...workers][0]!;
    const from = logs.count;
    process.kill(pid, 'SIGKILL');
    // Once the primary knows, it hands new connections to the other worker only.
    const { index } = await logs.next(/"msg":"a gateway worker died; replacing it"/, from);
    expect(await typename(url)).toBe(200);
    await listening(1, index);
    expect(workers.get(slot)).not.toBe(pid);
    expect((await fetch(`${admin}/readyz`)).status).toBe(200);
  }, 60_000);

  test('SIGTERM closes every worker gracefully, then the primary exits 0', async () => {
    const pids = [...workers.values()];
    gateway.kill('SIGTERM');
    const [code] = (await once(gateway, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(pids.filter(processAlive)).toEqual([]);
  }, 30_000);
});
