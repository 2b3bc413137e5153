import { composeServices } from '@apollo/composition';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'graphql';
import { fetchSubgraphSdl } from '../../src/composition/fetchSdl.js';
import { gatewayNodeOptions } from '../gatewayNodeOptions.js';
import { entry, freePort, ROOT, startProcess, waitFor, type BenchProcess } from '../processes.js';
import { bodyOf } from './scenarios.js';
import { withoutAuthorization } from './withoutAuthorization.js';

/** 'direct', 'affordance', 'apollo', 'hive', or `affordance@<label>` for another build (`--compare`). */
export type ContenderId = string;

/** Something the load generator is pointed at. */
export interface Contender {
  id: ContenderId;
  title: string;
  /** GraphQL URL per subgraph for `direct`, else the gateway's. */
  url: (direct?: 'customers' | 'invoices') => string;
  /** The process whose RSS is reported (the gateway's). */
  process?: BenchProcess;
}

const CLI = entry('src/cli/main');
/** The demo subgraphs' own entry point, as the local stack starts them. */
const SUBGRAPHS = entry('subgraphs/main');

/** The demo subgraphs, each in its own process, as `npm start` runs them. */
export interface Subgraphs {
  customers: string;
  invoices: string;
  grpc: string;
  processes: BenchProcess[];
}

export async function startSubgraphs(): Promise<Subgraphs> {
  const [customersPort, invoicesPort, grpcPort] = [await freePort(), await freePort(), await freePort()];
  const grpc = `127.0.0.1:${grpcPort}`;
  const processes = [
    startProcess('invoices-service', SUBGRAPHS, ['invoices-service', '--port', String(grpcPort)]),
    startProcess('customers', SUBGRAPHS, ['customers', '--port', String(customersPort)]),
    startProcess('invoices', SUBGRAPHS, ['invoices', '--port', String(invoicesPort), '--grpc', grpc]),
  ];
  const subgraphs = {
    customers: `http://127.0.0.1:${customersPort}/graphql`,
    invoices: `http://127.0.0.1:${invoicesPort}/graphql`,
    grpc,
    processes,
  };
  // Customers, and through the invoices subgraph the gRPC service: all three are up.
  await waitFor('the demo subgraphs', async () => {
    const answers = await Promise.all([
      post(subgraphs.customers, '{"query":"{ customers(first: 1) { id } }"}'),
      post(subgraphs.invoices, '{"query":"{ invoices { id } }"}'),
    ]);
    return answers.every((text) => !text.includes('"errors"'));
  });
  return subgraphs;
}

/** The supergraph the stock gateways get: the subgraphs' own SDLs without authorization (see withoutAuthorization), composed once with composeServices. */
export async function composeDemoSupergraph(subgraphs: Subgraphs): Promise<string> {
  const definitions = await Promise.all(
    (['customers', 'invoices'] as const).map(async (name) => ({
      name,
      url: subgraphs[name],
      typeDefs: withoutAuthorization(parse(await fetchSubgraphSdl(subgraphs[name], 10_000))),
    })),
  );
  const result = composeServices(definitions);
  if (result.errors) throw new Error(`the demo subgraphs do not compose: ${result.errors[0]!.message}`);
  return result.supergraphSdl;
}

/** Another build of this gateway to compare with (`--compare label=path/to/dist/src/cli/main.js`). */
export interface OtherBuild {
  label: string;
  cli: string;
}

/**
 * This gateway's CLI with its defaults, but for the per-client rate limit (one load generator
 * is one client), and with the NODE_OPTIONS of its Deployment (V8 heap sizes), as it runs there.
 */
export function startOurGateway(
  name: string,
  cli: string,
  port: number,
  subgraphs: Subgraphs,
  nodeFlags: readonly string[] = [],
  /** More of its environment (config overrides such as AG__SERVER__WORKERS). */
  env: Record<string, string> = {},
): BenchProcess {
  return startProcess(
    name,
    cli,
    ['gateway'],
    {
      NODE_OPTIONS: gatewayNodeOptions(ROOT),
      AG__SERVER__PORT: String(port),
      AG__LIMITS__RATELIMIT: 'false',
      AG__SUBGRAPHS__CUSTOMERS__URL: subgraphs.customers,
      AG__SUBGRAPHS__INVOICES__URL: subgraphs.invoices,
      AG__BACKENDS__INVOICES_SERVICE__GRPC: subgraphs.grpc,
      ...env,
    },
    nodeFlags,
  );
}

/** Starts every contender in its own process and waits until each answers the cross-subgraph query. */
export async function startContenders(
  subgraphs: Subgraphs,
  supergraphSdl: string,
  others: readonly OtherBuild[] = [],
  /** Ids of the standard contenders to start (default all). */
  only?: readonly string[],
): Promise<Contender[]> {
  // Every gateway gets the V8 heap sizes of ours in its Deployment: they would share the
  // pod's memory limit, and Node's defaults (which follow this machine's memory) would make
  // their memory and their GC work incomparable.
  const sameHeap = { NODE_OPTIONS: gatewayNodeOptions(ROOT) };
  const supergraphFile = join(tmpdir(), `bench-supergraph-${process.pid}.graphql`);
  writeFileSync(supergraphFile, supergraphSdl);
  const [ours, apollo, hive] = [await freePort(), await freePort(), await freePort()];
  const gatewayUrl = (port: number) => () => `http://127.0.0.1:${port}/graphql`;
  const contenders: Contender[] = [
    {
      id: 'direct',
      title: 'subgraph called directly',
      url: (direct) => subgraphs[direct ?? 'customers'],
    },
    {
      id: 'affordance',
      title: 'affordance-gateway',
      url: gatewayUrl(ours),
      process: startOurGateway('affordance-gateway', CLI, ours, subgraphs),
    },
    {
      id: 'apollo',
      title: 'Apollo Gateway (stock)',
      url: gatewayUrl(apollo),
      process: startProcess(
        'apollo-gateway',
        entry('bench/contenders/apolloGateway'),
        [String(apollo), supergraphFile],
        sameHeap,
      ),
    },
    {
      id: 'hive',
      title: 'Hive Gateway',
      url: gatewayUrl(hive),
      process: startProcess(
        'hive-gateway',
        entry('bench/contenders/hiveGateway'),
        [String(hive), supergraphFile],
        sameHeap,
      ),
    },
  ];
  for (const other of others) {
    const port = await freePort();
    contenders.push({
      id: `affordance@${other.label}`,
      title: `affordance-gateway (${other.label})`,
      url: gatewayUrl(port),
      process: startOurGateway(`affordance-gateway ${other.label}`, other.cli, port, subgraphs),
    });
  }
  const started = contenders.filter((c) => !only || only.includes(c.id) || c.id.includes('@'));
  await Promise.all(contenders.filter((c) => !started.includes(c)).map((c) => c.process?.stop()));
  const cross = bodyOf('customersWithInvoices');
  for (const contender of started.filter((c) => c.process)) {
    const proc = contender.process!;
    await waitFor(
      contender.title,
      async () => {
        const text = await post(contender.url(), cross);
        return text.includes('"invoices"') && !text.includes('"errors"');
      },
      () => (proc.child.exitCode === null ? undefined : `exited: ${proc.stderr()}`),
    );
  }
  return started;
}

/** POSTs a GraphQL body and returns the response text. */
export async function post(url: string, body: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(5000),
  });
  return response.text();
}
