import { jest } from '@jest/globals';
import { ExitCode } from '../../src/client/exitCodes.js';
import type { HistoryJson } from '../../src/client/historyJson.js';
import { runCli } from '../client/cliProcess.js';
import { startStackProcess } from '../helpers/stackProcess.js';

// The stack starts four processes through tsx, and each CLI run loads the CLI (seconds each on 2 cores).
jest.setTimeout(120_000);

describe('client history, against the local stack (npm start)', () => {
  test('after customers is killed and restarted by the stack: its drop in the sparkline, the table and --json', async () => {
    const stack = await startStackProcess(['--no-demo-auth']);
    const { output } = stack;
    const env = { AG_GATEWAY_URL: stack.gatewayUrl };
    try {
      await output.next(/\[gateway\] .*serving schema \S+ with customers, invoices"/);
      const { line } = await output.next(/\[stack\] started customers .*pid \d+/);
      const mark = output.count;
      process.kill(Number(/pid (\d+)/.exec(line)![1]), 'SIGKILL');
      await output.next(/\[gateway\] .*serving schema \S+ with invoices"/, mark);
      await output.next(/\[stack\] customers exited \(SIGKILL\); restarting/, mark);
      await output.next(/\[gateway\] .*serving schema \S+ with customers, invoices"/, mark);

      const [table, json, bad] = await Promise.all([
        runCli(['history', '--since', '1h'], env),
        runCli(['history', '--subgraph', 'customers', '--json'], env),
        runCli(['history', '--since', 'yesterday'], env),
      ]);

      expect(table).toMatchObject({ code: ExitCode.OK, stderr: '' });
      // One line per subgraph: its sparkline (blank before the gateway started, ▁ where it was down), its figures.
      expect(table.stdout).toMatch(/^customers +[█▁ ]*▁[█▁ ]* +1h: 1 drop, down \d+s; 24h: 1 drop, down \d+s$/m);
      // invoices never dropped (it may have waited for its first composition: down for that long).
      expect(table.stdout).toMatch(/^invoices +[█▁ ]+ +1h: 0 drops, down \d+s; 24h: 0 drops, down \d+s$/m);
      expect(table.stdout).toMatch(/│ customers +│ UNAVAILABLE[^│]*│ down +│ http customers: /);
      expect(table.stdout).toMatch(/│ customers +│ AVAILABLE[^│]*│ up +│ all checks pass/);

      expect(json).toMatchObject({ code: ExitCode.OK, stderr: '' });
      const history = JSON.parse(json.stdout) as HistoryJson;
      expect(new Set(history.entries.map((e) => e.subgraph))).toEqual(new Set(['customers']));
      const changes = history.entries.flatMap((e) => e.changes);
      expect(changes).toEqual(expect.arrayContaining(['SEEN', 'UNAVAILABLE', 'AVAILABLE']));
      expect(changes.indexOf('UNAVAILABLE')).toBeLessThan(changes.lastIndexOf('AVAILABLE'));
      expect(history.subgraphs).toEqual([
        expect.objectContaining({ subgraph: 'customers', available: true, windows: expect.any(Array) }),
      ]);
      const hour = history.subgraphs[0]!.windows.find((w) => w.window === '1h')!;
      expect(hour.drops).toBe(1);
      expect(hour.unavailableMs).toBeGreaterThan(0);

      expect(bad.code).toBe(ExitCode.USAGE);
      expect(bad.stderr).toMatch(/since: "?yesterday"? is neither an RFC 3339 time/);
    } finally {
      await stack.close();
    }
  });
});
