/**
 * The load generator, run in its own process so its CPU is not the gateway's: autocannon
 * against one URL with a fixed number of connections, first for the warm-up (discarded),
 * then for the measured duration. Every request sends the spec's one body (the hot key),
 * or a body drawn afresh from the spec's workload (`requestDrawer`, seeded, so every
 * contender of a round gets the same sequence). Reads one JSON `LoadSpec` per line on stdin and prints
 * one JSON `LoadResult` line on stdout for each; exits when stdin ends (one process for a
 * whole benchmark: starting one per run cost a third of a second each).
 *
 * Latencies are kept per request with sub-millisecond resolution (autocannon's own
 * histogram rounds to whole milliseconds, too coarse for loopback), and a 200 whose body
 * carries GraphQL `errors` counts as an error.
 */
import autocannon from 'autocannon';
import { onLines } from '../processes.js';
import type { LoadResult, LoadSpec } from './loadSpec.js';
import { requestDrawer } from './workloads.js';

/** autocannon's request options: one fixed body, or a new body drawn before each request. */
function requestOptions(spec: LoadSpec): Pick<autocannon.Options, 'body' | 'requests'> {
  if (spec.requests.kind === 'fixed') return { body: spec.requests.body };
  const draw = requestDrawer(spec.requests);
  return { requests: [{ setupRequest: (request) => ({ ...request, body: draw().body }) }] };
}

function run(spec: LoadSpec, seconds: number, record: boolean): Promise<LoadResult> {
  const latencies: number[] = [];
  let graphqlErrors = 0;
  let sampleBody: string | undefined;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        ...requestOptions(spec),
        connections: spec.connections,
        duration: seconds,
        timeout: 10,
        setupClient: (client) => {
          client.on('body', (body: Buffer) => {
            // `"errors"` cannot appear in these documents' data, only in an error response.
            if (body.includes('"errors"')) {
              graphqlErrors++;
              sampleBody ??= body.toString('utf8').slice(0, 300);
            }
          });
        },
      },
      (error, result) => {
        if (error) return reject(error as Error);
        const sorted = Float64Array.from(latencies).sort();
        const at = (q: number) =>
          sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;
        resolve({
          requests: result.requests.total,
          sent: result.requests.sent,
          seconds: result.duration,
          rps: result.requests.total / result.duration,
          p50: at(0.5),
          p99: at(0.99),
          errors: result.errors + result.timeouts + result.non2xx + graphqlErrors,
          sampleError: sampleBody ?? (result.non2xx ? `${result.non2xx} non-2xx responses` : undefined),
        });
      },
    );
    if (record) instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

async function measure(spec: LoadSpec): Promise<LoadResult> {
  if (spec.warmupSeconds > 0) await run(spec, spec.warmupSeconds, false);
  return run(spec, spec.seconds, true);
}

let queue = Promise.resolve();
onLines(process.stdin, (line) => {
  if (!line.trim()) return;
  queue = queue.then(async () => {
    const result = await measure(JSON.parse(line) as LoadSpec);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  });
  queue.catch((error: unknown) => {
    process.stderr.write(`load generator failed: ${String(error)}\n`);
    process.exit(1);
  });
});
process.stdin.on('end', () => void queue.then(() => process.exit(0)));
