/**
 * Profiles this gateway under the benchmark's load: starts the demo subgraphs and the
 * gateway with `--cpu-prof` (and its Deployment's NODE_OPTIONS, as the throughput benchmark
 * runs it), seeds the benchmark's data set, loads it with one scenario, stops it (the
 * profile is written on exit) and prints the top self-time frames.
 * Usage: node dist/bench/profile/profileGateway.js [single-by-id|cross-by-id|cross-list|mix|hot-single|hot-cross] [seconds]
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLoadGenerator } from '../load/loadGenerator.js';
import { entry, freePort, killAll, runToEnd, waitFor } from '../processes.js';
import { post, startOurGateway, startSubgraphs } from '../throughput/contenders.js';
import { DATA_SET, seedDataSet } from '../throughput/dataSet.js';
import { bodyOf, SCENARIOS } from '../throughput/scenarios.js';

const [scenarioId = 'mix', seconds = '8'] = process.argv.slice(2);
const scenario = SCENARIOS.find((s) => s.id === scenarioId)!;
const dir = mkdtempSync(join(tmpdir(), 'gateway-profile-'));
process.on('exit', killAll);
const subgraphs = await startSubgraphs();
const port = await freePort();
const url = `http://127.0.0.1:${port}/graphql`;
const gateway = startOurGateway('affordance-gateway', entry('src/cli/main'), port, subgraphs, [
  '--cpu-prof',
  `--cpu-prof-dir=${dir}`,
]);
const data = await seedDataSet(subgraphs, DATA_SET);
await waitFor('gateway', async () => !(await post(url, bodyOf('customersWithInvoices'))).includes('"errors"'));
const requests = scenario.requests(data.workload, 1);
const spec = { url, requests, connections: 32, warmupSeconds: 1, seconds: Number(seconds) };
const load = startLoadGenerator();
process.stderr.write(`${JSON.stringify(await load.run(spec))}\n`);
await load.stop();
await gateway.stop();
await Promise.all(subgraphs.processes.map((p) => p.stop()));
const profile = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
process.stdout.write(`${join(dir, profile)}\n`);
process.stdout.write(await runToEnd('top', entry('bench/profile/topFrames'), [join(dir, profile), '40'], 60_000));
process.exit(0);
