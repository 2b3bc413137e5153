import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  CoordinationV1Api,
  CustomObjectsApi,
  EventsV1Api,
  type KubernetesListObject,
  type V1Deployment,
} from '@kubernetes/client-node';
import { parse as parseGraphQL } from 'graphql';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { GatewayConfig } from '../../src/config/schema.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { createLogger, silentLogger, type Logger } from '../../src/platform/logger.js';
import { KubernetesSource } from '../../src/sources/kubernetes/kubernetesSource.js';
import {
  SUBGRAPH_RESOURCE,
  subgraphResourcesPath,
  type SubgraphCondition,
  type SubgraphResource,
} from '../../src/sources/kubernetes/subgraphResource.js';
import { serveSubgraph } from '../../subgraphs/shared/serveSubgraph.js';
import { affordancesWhere, composed, servesField } from '../helpers/gateway.js';
import { gql } from '../helpers/graphql.js';
import { apis, eventually, follow, type Apis } from './cluster.js';
import { buildHarness, Harness } from './harness.js';
import { GatewayProcess } from './gatewayProcess.js';
import { CRD, NS, Shop } from './shop.js';

const harnessBuild = buildHarness();
const describeCluster = harnessBuild.ok ? describe : describe.skip;

/** The Lease of the status writer (the ConfigMap's), and short durations so the hand-over test is quick. */
const LEASE = 'affordance-gateway-status';
const LEASE_TIMES = { durationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 250 };

/**
 * The API server's audit log of every write that matters here: Lease writes with their
 * body (who holds it after), and status writes with their URI (the field manager, one per
 * replica). It is the record of which replica wrote what, and when.
 */
const AUDIT_DIR = mkdtempSync(join(tmpdir(), 'kube-audit-'));
const AUDIT_LOG = join(AUDIT_DIR, 'audit.log');
const AUDIT_POLICY = join(AUDIT_DIR, 'policy.yaml');
writeFileSync(
  AUDIT_POLICY,
  `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Request
    verbs: [create, update, patch]
    resources: [{ group: coordination.k8s.io, resources: [leases] }]
  - level: Metadata
    verbs: [create, update, patch]
    resources: [{ group: ${SUBGRAPH_RESOURCE.group}, resources: [subgraphs/status] }]
  - level: None
`,
);

interface AuditEvent {
  stage: string;
  verb: string;
  requestURI: string;
  objectRef?: { resource?: string; subresource?: string; name?: string };
  requestReceivedTimestamp: string;
  stageTimestamp: string;
  responseStatus?: { code?: number };
  requestObject?: { spec?: { holderIdentity?: string } };
}

const condition = (resource: SubgraphResource | undefined, type: SubgraphCondition['type']) =>
  resource?.status?.conditions?.find((c) => c.type === type);
/** The replicas a resource's status says its own Deployment has. */
const customersReplicas = (resource: SubgraphResource | undefined) =>
  resource?.status?.replicas?.find((r) => r.workload === 'deployment shop/customers');
/** What else the demo's subgraphs need (k8s/base/subgraphs.yaml): the database. */
const DATABASE = { workload: 'statefulset shop/postgres', available: 1, desired: 1 };

/** Follows every Subgraph in the namespace (as a user's `kubectl get subgraphs -w` would), keeping each version seen. */
class SubgraphWatch {
  readonly seen = new Map<string, SubgraphResource[]>();
  private readonly waiters = new Set<() => void>();
  private readonly informer;

  constructor(harness: Harness) {
    const kubeConfig = harness.adminConfig();
    const custom = kubeConfig.makeApiClient(CustomObjectsApi);
    const { group, version, plural } = SUBGRAPH_RESOURCE;
    this.informer = follow<SubgraphResource>({
      kubeConfig,
      path: subgraphResourcesPath(NS),
      list: () =>
        custom.listNamespacedCustomObject({ group, version, namespace: NS, plural }) as Promise<
          KubernetesListObject<SubgraphResource>
        >,
      onChange: () => {
        for (const resource of this.informer.objects()) {
          const name = resource.metadata!.name!;
          const versions = this.seen.get(name) ?? [];
          if (versions.at(-1)?.metadata?.resourceVersion !== resource.metadata?.resourceVersion)
            versions.push(resource);
          this.seen.set(name, versions);
        }
        for (const waiter of this.waiters) waiter();
      },
    });
  }

  start = () => this.informer.start();
  stop = () => this.informer.stop();

  get(name: string): SubgraphResource | undefined {
    return this.informer.objects().find((r) => r.metadata?.name === name);
  }

  /** Resolves with the resource (now or at a later change) once `predicate` holds; rejects after `timeoutMs`. */
  until(name: string, what: string, predicate: (r: SubgraphResource) => boolean, timeoutMs = 60_000) {
    return new Promise<SubgraphResource>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `not within ${timeoutMs} ms: Subgraph ${name} ${what}; last: ${JSON.stringify(this.get(name)?.status)}`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        const resource = this.get(name);
        if (!resource || !predicate(resource)) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(resource);
      };
      this.waiters.add(check);
      check();
    });
  }
}

/** A pino logger whose lines a test can read. */
function capturingLogger(): { logger: Logger; lines: () => { msg: string }[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger('e2e-gateway', 'info', stream), lines: () => lines.map((l) => JSON.parse(l)) };
}

/** A subgraph server of `reviews`, with `extra` fields on Review. */
const reviewsServer = (extra = '') =>
  serveSubgraph(
    buildSubgraphSchema({
      typeDefs: parseGraphQL(`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
        type Review { id: ID! stars: Int! ${extra} }
        type Query { reviews: [Review!]! }
      `),
      resolvers: { Query: { reviews: () => [{ id: 'r1', stars: 5, text: 'fine' }] } },
    }),
    { port: 0, logger: silentLogger },
  );

describeCluster('Subgraph resources on a control plane: the CRD, discovery, status, Events and one writer', () => {
  const harness = new Harness({
    apiServerFlags: [`--audit-policy-file=${AUDIT_POLICY}`, `--audit-log-path=${AUDIT_LOG}`],
  });
  let admin: Apis;
  let events: EventsV1Api;
  let leases: CoordinationV1Api;
  const shop = new Shop(harness);
  let subgraphs: SubgraphWatch;
  let token: string;
  /** `kubectl -n shop ARGS` as the admin. */
  const kubectl = (...args: string[]) => harness.kubectl(['-n', NS, ...args]);
  /** `kubectl patch subgraph NAME --type=merge` of its spec, as a user changes one. */
  const patchSpec = (name: string, spec: Record<string, unknown>) =>
    kubectl('patch', 'subgraph', name, '--type=merge', '-p', JSON.stringify({ spec }));
  const gateways = new Map<string, RunningGateway>();
  /** Every replica that led, in order (the audit test checks their writes). */
  const identities: string[] = [];
  const sources = new Map<string, KubernetesSource>();

  /** A gateway in this process, as a replica of the manifests' Deployment: the ConfigMap's config, the ServiceAccount's token. */
  async function startReplica(
    identity: string,
    options: { edit?: (raw: Record<string, any>) => void; logger?: Logger } = {},
  ): Promise<RunningGateway> {
    const config: GatewayConfig = await shop.gatewayConfig((raw) => {
      raw.availability.kubernetes.subgraphResources.lease = {
        ...raw.availability.kubernetes.subgraphResources.lease,
        ...LEASE_TIMES,
        identity,
      };
      options.edit?.(raw);
    });
    const logger = options.logger ?? (process.env.E2E_LOGS ? createLogger(identity, 'debug') : silentLogger);
    const source = new KubernetesSource({
      config,
      logger,
      connection: { kubeConfig: harness.tokenConfig(token, NS), defaultNamespace: NS, description: identity },
    });
    const gateway = await startGateway({ config, logger, sources: [source] });
    gateways.set(identity, gateway);
    sources.set(identity, source);
    return gateway;
  }

  async function stopReplica(identity: string): Promise<void> {
    await gateways.get(identity)?.close();
    gateways.delete(identity);
    sources.delete(identity);
  }

  /** The one replica that leads, once exactly one does. */
  const leader = () =>
    eventually('exactly one gateway leads', async () => {
      const leading = [...gateways.values()].filter((g) => g.subgraphStatus?.isLeader());
      return leading.length === 1 ? leading[0]! : undefined;
    });

  beforeAll(async () => {
    await harness.start();
    admin = apis(harness.adminConfig());
    events = harness.adminConfig().makeApiClient(EventsV1Api);
    leases = harness.adminConfig().makeApiClient(CoordinationV1Api);
    await shop.deploy();
    token = await shop.gatewayToken();
    subgraphs = new SubgraphWatch(harness);
    await subgraphs.start();
    await startReplica('e2e-a');
    await startReplica('e2e-b');
  });
  afterAll(async () => {
    for (const identity of [...gateways.keys()]) await stopReplica(identity);
    await subgraphs?.stop();
    await shop[Symbol.asyncDispose]();
    await harness.stop();
  });

  test('the CRD is established, and the API server refuses specs the gateway could not use', async () => {
    expect(
      await harness.kubectl([
        'get',
        `crd/${CRD}`,
        '-o',
        'jsonpath={.status.conditions[?(@.type=="Established")].status}',
      ]),
    ).toBe('True');
    const refused = async (name: string, spec: unknown): Promise<string> => {
      try {
        await admin.objects.create({
          apiVersion: SUBGRAPH_RESOURCE.apiVersion,
          kind: SUBGRAPH_RESOURCE.kind,
          metadata: { name, namespace: NS },
          spec,
        } as never);
        return 'accepted';
      } catch (error) {
        return String((error as { body?: unknown }).body ?? error);
      }
    };
    const deployments = { deployments: ['bad'] };
    expect(await refused('bad', { kubernetes: deployments })).toMatch(
      /set service \(the Service in front of the subgraph\) or url/,
    );
    expect(await refused('bad', { url: 'ftp://bad/graphql', kubernetes: deployments })).toMatch(
      /spec\.url: Invalid value: .*must be an http:\/\/ or https:\/\/ URL/,
    );
    expect(await refused('bad', { service: { name: 'bad', port: 70000 }, kubernetes: deployments })).toMatch(
      /spec\.service\.port/,
    );
    expect(await refused('bad', { service: { name: 'bad', port: 4001 } })).toMatch(
      /nothing tells the gateway what the subgraph needs/,
    );
    expect(await refused('bad', { service: { name: 'bad', port: 4001 }, kubernetes: {} })).toMatch(/names no workload/);
    expect(
      await refused('bad', { service: { name: 'bad', port: 4001 }, kubernetes: { deployments: ['Not A Name'] } }),
    ).toMatch(/spec\.kubernetes\.deployments\[0\]/);
    expect(
      await refused('bad', { service: { name: 'bad', port: 4001 }, kubernetes: deployments, errors: 'loud' }),
    ).toMatch(/spec\.errors: Unsupported value: \\"loud\\"/);
    expect(
      await refused('bad', {
        service: { name: 'bad', port: 4001 },
        kubernetes: deployments,
        backends: [{ name: 'db' }],
      }),
    ).toMatch(/a backend needs kubernetes/);
    expect(await refused('Bad.Name', { service: { name: 'bad', port: 4001 }, kubernetes: deployments })).toMatch(
      /the name is the subgraph's name/,
    );
    expect(await refused('affordances', { service: { name: 'bad', port: 4001 }, kubernetes: deployments })).toMatch(
      /reserved for the gateway's own subgraph/,
    );
    // Unknown fields are pruned (a structural schema), and defaults filled in.
    expect(await refused('bad', { service: { name: 'bad', port: 4001 }, kubernetes: deployments, stars: 5 })).toBe(
      'accepted',
    );
    const stored = (await admin.objects.read({
      apiVersion: SUBGRAPH_RESOURCE.apiVersion,
      kind: SUBGRAPH_RESOURCE.kind,
      metadata: { name: 'bad', namespace: NS },
    })) as SubgraphResource;
    expect(stored.spec).toEqual({
      service: { name: 'bad', port: 4001, path: '/graphql' },
      kubernetes: { deployments: ['bad'], minAvailable: 1 },
      errors: 'redact',
      probe: true,
    });
    await kubectl('delete', 'subgraph', 'bad');
  });

  test('status conditions and Events follow kubectl scale to 0 and back, within a second of the verdict', async () => {
    const writer = await leader();
    const up = await subgraphs.until(
      'customers',
      'is Available and Composed, read from its 3 pods',
      (r) =>
        condition(r, 'Available')?.status === 'True' &&
        condition(r, 'Composed')?.status === 'True' &&
        r.status?.versions?.[0]?.endpoints === 3,
    );
    expect(up.status).toEqual({
      observedGeneration: up.metadata!.generation,
      conditions: [
        expect.objectContaining({
          type: 'Available',
          status: 'True',
          reason: 'ChecksPass',
          message: 'all checks pass',
          observedGeneration: up.metadata!.generation,
        }),
        expect.objectContaining({ type: 'Composed', status: 'True', reason: 'Composed', message: 'all checks pass' }),
      ],
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/),
      replicas: [{ workload: 'deployment shop/customers', available: 3, desired: 3 }, DATABASE],
      versions: [{ hash: expect.stringMatching(/^[0-9a-f]+$/), endpoints: 3 }],
      unavailableOperations: [],
    });
    const composedSince = condition(up, 'Composed')!.lastTransitionTime;
    const before = subgraphs.seen.get('customers')!.length;

    await kubectl('scale', 'deployment', 'customers', '--replicas=0');
    await affordancesWhere(writer, composed('customers', false));
    const verdict = performance.now();
    await subgraphs.until('customers', 'is not Composed', (r) => condition(r, 'Composed')?.status === 'False');
    const lagMs = performance.now() - verdict;
    const down = await subgraphs.until('customers', 'says its Deployment has no replica', (r) =>
      /deployment shop\/customers has 0 of 0 replicas available/.test(condition(r, 'Available')?.message ?? ''),
    );
    expect(condition(down, 'Available')).toMatchObject({ status: 'False', reason: 'ReplicasUnavailable' });
    expect(condition(down, 'Composed')).toMatchObject({ status: 'False', reason: 'ReplicasUnavailable' });
    expect(down.status?.replicas).toEqual([
      { workload: 'deployment shop/customers', available: 0, desired: 0 },
      DATABASE,
    ]);
    expect(down.status?.unavailableOperations).toEqual([
      'Mutation.createCustomer',
      'Query.customer',
      'Query.customers',
    ]);
    expect(await kubectl('get', 'subgraphs')).toMatch(
      /^NAME\s+AVAILABLE\s+COMPOSED\s+REASON\s+AGE\ncustomers\s+False\s+False\s+ReplicasUnavailable\s+\S+\ninvoices\s+True\s+True\s+Composed\s+\S+\n$/,
    );

    await kubectl('scale', 'deployment', 'customers', '--replicas=3');
    const back = await subgraphs.until(
      'customers',
      'is Composed again with 3 replicas',
      (r) => condition(r, 'Composed')?.status === 'True' && customersReplicas(r)?.available === 3,
    );
    expect(condition(back, 'Composed')!.lastTransitionTime >= composedSince).toBe(true);
    console.info(
      `verdict (customers dropped from the served schema) → Subgraph status Composed=False: ${lagMs.toFixed(0)} ms`,
    );
    expect(lagMs).toBeLessThan(5000);

    // lastTransitionTime moves only when its condition's status does, however often the message changes.
    const versions = subgraphs.seen.get('customers')!.slice(before - 1);
    let transitions = 0;
    for (let i = 1; i < versions.length; i++) {
      for (const type of ['Available', 'Composed'] as const) {
        const [was, is] = [condition(versions[i - 1], type), condition(versions[i], type)];
        if (!was || !is) continue;
        if (was.status === is.status) expect(is.lastTransitionTime).toBe(was.lastTransitionTime);
        else transitions++;
      }
    }
    expect(transitions).toBeGreaterThanOrEqual(4);

    // An Event on the drop and one on the re-add (the first Composed again: a series), as kubectl describe
    // shows them. Each follows its status write, so it may come a moment after the status.
    const uid = back.metadata!.uid;
    const told = async () =>
      (await events.listNamespacedEvent({ namespace: NS })).items
        .filter((e) => e.regarding?.uid === uid)
        .map((e) => ({
          type: e.type,
          reason: e.reason,
          note: e.note,
          by: e.reportingController,
          last: new Date(String(e.series?.lastObservedTime ?? e.eventTime)).getTime(),
        }));
    const [dropped, readded] = await eventually('a Dropped Event, and a Composed one after it', async () => {
      const all = await told();
      const drop = all.filter((e) => e.reason === 'Dropped');
      const after = all.filter((e) => e.reason === 'Composed' && drop[0] && e.last >= drop[0].last);
      return after.length ? [drop, after] : undefined;
    });
    expect(dropped).toEqual([
      {
        type: 'Warning',
        reason: 'Dropped',
        note: expect.stringMatching(
          /^Dropped: (deployment shop\/customers has \d of \d replicas available|endpoints shop\/customers: service shop\/customers has no ready endpoints)/,
        ),
        by: 'affordance-gateway.io/gateway',
        last: expect.any(Number),
      },
    ]);
    expect(readded).toEqual([
      {
        type: 'Normal',
        reason: 'Composed',
        note: 'Composed',
        by: 'affordance-gateway.io/gateway',
        last: expect.any(Number),
      },
    ]);
    const described = await kubectl('describe', 'subgraph', 'customers');
    if (process.env.E2E_LOGS) console.info(described);
    expect(described).toMatch(/Warning\s+Dropped\s+.*Dropped: /);
    expect(described).toMatch(/Normal\s+Composed\s+.*Composed/);
  });

  test('creating, changing and deleting a Subgraph adds, updates and removes it in the served schema of every replica', async () => {
    const [v1, v2] = [await reviewsServer(), await reviewsServer('text: String')];
    const replicas = [...gateways.values()];
    try {
      // A Deployment like customers' whose pods KWOK runs; the Subgraph names the URL of a reviews server here.
      const overlayCustomers = JSON.parse(
        await kubectl('get', 'deployment', 'customers', '-o', 'json'),
      ) as V1Deployment;
      const labels = { 'app.kubernetes.io/name': 'reviews' };
      await admin.objects.create({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'reviews', namespace: NS, labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: overlayCustomers.spec!.template.spec! },
        },
      } as V1Deployment);
      const spec = { url: `${v1.url}/graphql`, kubernetes: { deployments: ['reviews'] } };
      await admin.objects.create({
        apiVersion: SUBGRAPH_RESOURCE.apiVersion,
        kind: SUBGRAPH_RESOURCE.kind,
        metadata: { name: 'reviews', namespace: NS },
        spec,
      } as never);
      for (const gateway of replicas) await affordancesWhere(gateway, composed('reviews'));
      for (const gateway of replicas)
        expect((await gql(gateway.url, '{ reviews { stars } }')).data).toEqual({ reviews: [{ stars: 5 }] });
      const created = await subgraphs.until(
        'reviews',
        'is Composed',
        (r) => condition(r, 'Composed')?.status === 'True',
      );
      expect(created.status?.observedGeneration).toBe(1);

      // A new URL: the version there (with Review.text) is served.
      await patchSpec('reviews', { url: `${v2.url}/graphql` });
      await eventually('every replica serves Review.text', async () =>
        replicas.every((g) => g.served.get()?.apiSchema.getType('Review') && servesField(g, 'Review', 'text'))
          ? true
          : undefined,
      );
      // Needs two available replicas now: dropped, and the status says why.
      await patchSpec('reviews', { kubernetes: { minAvailable: 2 } });
      for (const gateway of replicas) await affordancesWhere(gateway, composed('reviews', false));
      const needs2 = await subgraphs.until(
        'reviews',
        'is dropped for its replicas',
        (r) => condition(r, 'Composed')?.status === 'False' && r.status?.observedGeneration === 3,
      );
      expect(condition(needs2, 'Available')).toMatchObject({
        status: 'False',
        reason: 'ReplicasUnavailable',
        message: 'deployment shop/reviews has 1 of 1 replicas available (needs 2)',
        observedGeneration: 3,
      });

      await kubectl('delete', 'subgraph', 'reviews');
      for (const gateway of replicas) {
        // Gone from the subgraphs and from the operations, available or not; the others stay.
        const gone = await affordancesWhere(
          gateway,
          (a) => !a.subgraphs.some((s) => s.name === 'reviews') && composed('customers')(a) && composed('invoices')(a),
        );
        expect(gone.available.map((op) => op.name)).not.toContain('reviews');
        expect(gone.unavailable.map((op) => op.name)).not.toContain('reviews');
      }
    } finally {
      await kubectl('delete', 'deployment', 'reviews', '--ignore-not-found');
      await kubectl('delete', 'subgraph', 'reviews', '--ignore-not-found');
      await v1.close();
      await v2.close();
    }
  });

  test('a config entry and a resource of one name: the config file wins, logged once', async () => {
    const { logger, lines } = capturingLogger();
    const standIn = subgraphs.get('customers')!.spec as { url: string };
    const own = await startReplica('e2e-config', {
      logger,
      edit: (raw) => {
        raw.availability.kubernetes.subgraphResources.status = false;
        raw.subgraphs = { customers: { url: standIn.url, kubernetes: { deployments: ['customers'] } } };
      },
    });
    try {
      await affordancesWhere(own, (a) => composed('customers')(a) && composed('invoices')(a));
      // A change of the resource makes the gateway read it again; the clash is not logged again.
      const declared = () =>
        sources
          .get('e2e-config')!
          .discoveredSubgraphs()
          .find((d) => d.name === 'customers')?.errors;
      for (const errors of ['redact', 'passthrough']) {
        await patchSpec('customers', { errors });
        await eventually(`the gateway read errors: ${errors}`, async () => (declared() === errors ? true : undefined));
      }
      await affordancesWhere(own, composed('customers'));
      const clashes = lines().filter((l) => /config file wins/.test(l.msg));
      expect(clashes.map((l) => l.msg)).toEqual([
        'Subgraph shop/customers declares subgraph customers, which the config file also defines; the config file wins',
      ]);
      expect(own.subgraphStatus).toBeUndefined();
    } finally {
      await stopReplica('e2e-config');
    }
  });

  test("with the probe source on too, the probes follow what the resources declare (a backend's gRPC address)", async () => {
    // The manifest's backends, the gRPC service's with its address (a merge patch replaces the list).
    const { backends } = subgraphs.get('invoices')!.spec as { backends: { name: string }[] };
    const grpc = `127.0.0.1:${shop.services.get('invoices-service')!.port()}`;
    const withAddress = backends.map((b) => (b.name === 'invoices-service' ? { ...b, grpc } : b));
    await patchSpec('invoices', { backends: withAddress });
    const config = await shop.gatewayConfig((raw) => {
      raw.availability.sources = ['kubernetes', 'probe'];
      raw.availability.probe = { intervalMs: 100, timeoutMs: 1000 };
    });
    const changed = new Set<() => void>();
    const source = new KubernetesSource({
      config,
      logger: silentLogger,
      connection: { kubeConfig: harness.tokenConfig(token, NS), defaultNamespace: NS, description: 'e2e' },
    });
    const probe = (id: string, ok: boolean) =>
      new Promise<string>((resolve) => {
        const check = () => {
          const found = source.snapshot().find((c) => c.subgraph === 'invoices' && c.id === id);
          if (found?.ok !== ok) return;
          changed.delete(check);
          resolve(found.reason);
        };
        changed.add(check);
        check();
      });
    await source.start(() => changed.forEach((check) => check()));
    try {
      await probe('grpc invoices-service', true);
      await probe('http invoices', true);
      // Each check names the backend of the resource it is about: its probe and its workloads.
      const backendOf = (id: string) =>
        source.snapshot().find((c) => c.subgraph === 'invoices' && c.id === id)?.backend ?? 'own';
      expect(
        [
          'grpc invoices-service',
          `deployment ${NS}/invoices-service`,
          'http invoices',
          `deployment ${NS}/invoices`,
        ].map(backendOf),
      ).toEqual(['invoices-service', 'invoices-service', 'own', 'own']);
      await kubectl('scale', 'deployment', 'invoices-service', '--replicas=0');
      expect(await probe('grpc invoices-service', false)).toMatch(/./);
      await kubectl('scale', 'deployment', 'invoices-service', '--replicas=3');
      await probe('grpc invoices-service', true);
      // Without the address, no probe: the resource alone decides what is probed.
      await patchSpec('invoices', { backends });
      await new Promise<void>((resolve) => {
        const check = () => {
          if (source.snapshot().some((c) => c.id === 'grpc invoices-service')) return;
          changed.delete(check);
          resolve();
        };
        changed.add(check);
        check();
      });
    } finally {
      await source.stop();
      await patchSpec('invoices', { backends });
      await subgraphs.until('invoices', 'is Composed', (r) => condition(r, 'Composed')?.status === 'True');
    }
  });

  test('two replicas elect one writer; its stop hands over within the Lease duration; no status write comes from another', async () => {
    const first = await leader();
    const [firstId, secondId] = [
      first.subgraphStatus!.identity,
      [...gateways.values()].find((g) => g !== first)!.subgraphStatus!.identity,
    ];
    const second = gateways.get(secondId)!;
    expect((await leases.readNamespacedLease({ name: LEASE, namespace: NS })).spec?.holderIdentity).toBe(firstId);
    // Every replica serves, leading or not.
    for (const gateway of [first, second])
      expect((await gql(gateway.url, '{ customers { id } }')).errors).toBeUndefined();

    const stopping = performance.now();
    await stopReplica(firstId);
    await eventually(
      'the other replica leads',
      async () => (second.subgraphStatus!.isLeader() ? true : undefined),
      10_000,
    );
    const handoverMs = performance.now() - stopping;
    expect((await leases.readNamespacedLease({ name: LEASE, namespace: NS })).spec?.holderIdentity).toBe(secondId);
    console.info(
      `leader stopped → the other replica leads: ${handoverMs.toFixed(0)} ms (Lease duration ${LEASE_TIMES.durationMs} ms)`,
    );
    expect(handoverMs).toBeLessThan(LEASE_TIMES.durationMs);

    // The new leader writes: invoices follows its backend down and up.
    await kubectl('scale', 'deployment', 'invoices-service', '--replicas=0');
    const down = await subgraphs.until('invoices', 'is dropped', (r) => condition(r, 'Composed')?.status === 'False');
    expect(condition(down, 'Available')?.message).toMatch(/invoices-service/);
    const managers = (down.metadata?.managedFields ?? [])
      .filter((f) => f.subresource === 'status')
      .map((f) => f.manager);
    expect(managers).toContain(`affordance-gateway/${secondId}`);
    await kubectl('scale', 'deployment', 'invoices-service', '--replicas=3');
    await subgraphs.until('invoices', 'is Composed again', (r) => condition(r, 'Composed')?.status === 'True');

    identities.push(firstId, secondId);
  });

  test('a leader that crashes (SIGKILL, the Lease not released) is replaced once the Lease expires, not before', async () => {
    // A replica in its own process, as a pod: the only candidate once the current leader stops.
    const raw = parseYaml(await shop.gatewayConfigYaml()) as Record<string, any>;
    raw.availability.kubernetes.subgraphResources.lease = {
      ...raw.availability.kubernetes.subgraphResources.lease,
      ...LEASE_TIMES,
      identity: 'e2e-process',
    };
    await using crashing = await new GatewayProcess(stringifyYaml(raw), shop.tokenKubeconfig(token)).start();
    await stopReplica(identities.at(-1)!);
    await eventually('the process holds the Lease', async () =>
      (await leases.readNamespacedLease({ name: LEASE, namespace: NS })).spec?.holderIdentity === 'e2e-process'
        ? true
        : undefined,
    );
    identities.push('e2e-process');
    const next = await startReplica('e2e-c');
    expect(next.subgraphStatus!.isLeader()).toBe(false);
    const killed = performance.now();
    await crashing.kill();
    await eventually(
      'the replica in this process leads',
      async () => (next.subgraphStatus!.isLeader() ? true : undefined),
      15_000,
    );
    const tookMs = performance.now() - killed;
    console.info(
      `leader killed → the other replica leads after ${tookMs.toFixed(0)} ms (Lease duration ${LEASE_TIMES.durationMs} ms)`,
    );
    // Not before the Lease expires: at the least its duration after the last renewal it saw.
    expect(tookMs).toBeGreaterThanOrEqual(LEASE_TIMES.durationMs - LEASE_TIMES.retryPeriodMs);
    expect(tookMs).toBeLessThan(LEASE_TIMES.durationMs + 10_000);
    expect((await leases.readNamespacedLease({ name: LEASE, namespace: NS })).spec?.holderIdentity).toBe('e2e-c');
    // It writes from now on: a change of the verdict shows, under its field manager.
    await kubectl('scale', 'deployment', 'customers', '--replicas=2');
    const written = await subgraphs.until('customers', 'shows 2 replicas', (r) => customersReplicas(r)?.desired === 2);
    const managers = (written.metadata?.managedFields ?? [])
      .filter((f) => f.subresource === 'status')
      .map((f) => f.manager);
    expect(managers).toContain('affordance-gateway/e2e-c');
    await kubectl('scale', 'deployment', 'customers', '--replicas=3');
    await subgraphs.until('customers', 'shows 3 replicas', (r) => customersReplicas(r)?.available === 3);
    identities.push('e2e-c');
  });

  test('the audit log: every status write was made by the replica holding the Lease at that moment', () => {
    const audit = readFileSync(AUDIT_LOG, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AuditEvent)
      .filter((e) => e.stage === 'ResponseComplete');
    const holders = audit
      .filter(
        (e) => e.objectRef?.resource === 'leases' && e.objectRef.name === LEASE && (e.responseStatus?.code ?? 0) < 300,
      )
      .map((e) => ({ at: e.stageTimestamp, holder: e.requestObject?.spec?.holderIdentity ?? '' }))
      .sort((a, b) => a.at.localeCompare(b.at));
    const holderAt = (at: string) => holders.filter((h) => h.at < at).at(-1)?.holder ?? '';
    const writes = audit
      .filter((e) => e.objectRef?.resource === 'subgraphs' && e.objectRef.subresource === 'status')
      .map((e) => ({
        at: e.requestReceivedTimestamp,
        by: new URL(e.requestURI, 'https://api').searchParams.get('fieldManager')?.replace(/^affordance-gateway\//, ''),
        subgraph: e.objectRef!.name,
      }));
    expect(writes.map((w) => w.by).filter((by) => !identities.includes(by!))).toEqual([]);
    expect(new Set(writes.map((w) => w.by)).size).toBeGreaterThanOrEqual(3);
    expect(writes.filter((w) => w.by !== holderAt(w.at))).toEqual([]);
    expect(holders.map((h) => h.holder)).toEqual(expect.arrayContaining(['', ...identities]));
  });

  test('without the CRD, a gateway reading Subgraph resources stops at start and says to install it', async () => {
    for (const identity of [...gateways.keys()]) await stopReplica(identity);
    await harness.kubectl(['delete', 'crd', CRD]);
    const config = await shop.gatewayConfig();
    const source = new KubernetesSource({
      config,
      logger: silentLogger,
      connection: { kubeConfig: harness.tokenConfig(token, NS), defaultNamespace: NS, description: 'e2e' },
    });
    try {
      await expect(source.start(() => {})).rejects.toThrow(
        /^the API server has no Subgraph resources \(subgraphs\.affordance-gateway\.io\): install the CRD \(kubectl apply -f k8s\/base\/subgraph-crd\.yaml\)/,
      );
    } finally {
      await source.stop();
    }
  });
});
