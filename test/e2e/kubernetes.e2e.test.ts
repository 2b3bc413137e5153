import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse as parseGraphQL } from 'graphql';
import { parse as parseYaml } from 'yaml';
import type { KubernetesObject, V1ConfigMap } from '@kubernetes/client-node';
import { validateConfig } from '../../src/config/load.js';
import type { GatewayConfig } from '../../src/config/schema.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { Annotations } from '../../src/sources/kubernetes/discovery.js';
import { KubernetesSource } from '../../src/sources/kubernetes/kubernetesSource.js';
import { createLogger, silentLogger } from '../../src/platform/logger.js';
import { serveSubgraph } from '../../subgraphs/shared/serveSubgraph.js';
import { affordancesWhere, composed } from '../helpers/gateway.js';
import { gql } from '../helpers/graphql.js';
import { Backends } from '../helpers/servers.js';
import { apis, can, kustomizeBuild, scale, writeEndpoints, writeStatus, type Apis } from './cluster.js';
import { buildHarness, Harness } from './harness.js';
import { TcpProxy } from './tcpProxy.js';

const NS = 'shop';
const harnessBuild = buildHarness();
const describeCluster = harnessBuild.ok ? describe : describe.skip;
if (!harnessBuild.ok) console.warn(`Skipping the end-to-end suite: ${harnessBuild.why}`);

const base = kustomizeBuildOrEmpty('k8s/base');
const overlay = kustomizeBuildOrEmpty('k8s/overlays/minikube');

function kustomizeBuildOrEmpty(dir: string): KubernetesObject[] {
  return harnessBuild.ok ? kustomizeBuild(dir) : [];
}

const find = (objects: KubernetesObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata?.name === name)!;

/** The gateway config shipped in the ConfigMap, pointed at loopback subgraphs and made quick to react. */
function shippedConfig(backends: Backends, changes: Record<string, unknown> = {}): GatewayConfig {
  const configMap = find(base, 'ConfigMap', 'gateway-config') as V1ConfigMap;
  const shipped = parseYaml(configMap.data!['config.yaml']!) as Record<string, any>;
  shipped.server = { ...shipped.server, host: '127.0.0.1', port: 0 };
  shipped.limits = { rateLimit: false };
  shipped.availability.settleMs = 0;
  Object.assign(shipped.availability.kubernetes, { initialBackoffMs: 50, maxBackoffMs: 500 }, changes);
  shipped.subgraphs.customers.url = `http://127.0.0.1:${backends.ports.customers}/graphql`;
  shipped.subgraphs.invoices.url = `http://127.0.0.1:${backends.ports.invoices}/graphql`;
  return validateConfig(shipped, 'k8s/base/gateway-config.yaml (e2e)');
}

describeCluster('against a real kube-apiserver', () => {
  const harness = new Harness();
  let admin: Apis;
  /** The gateway's own identity: a token of its ServiceAccount, bound by the shipped Role. */
  let gatewayIdentity: Apis;
  let gatewayToken: string;

  beforeAll(async () => {
    await harness.start();
    admin = apis(harness.adminConfig());
    // The namespace must exist for namespaced dry-runs; everything else is created by the tests.
    await admin.objects.create(find(base, 'Namespace', NS));
  });
  afterAll(async () => harness.stop());

  describe('the manifests in k8s/', () => {
    test.each([
      ['base', () => base],
      ['minikube overlay', () => overlay],
    ])('every object of the %s passes server-side validation (dry run)', async (_name, objects) => {
      const rejected: string[] = [];
      for (const object of objects().filter((o) => o.kind !== 'Namespace')) {
        try {
          await admin.objects.create(object, undefined, 'All');
        } catch (error) {
          rejected.push(
            `${object.kind}/${object.metadata?.name}: ${String((error as { body?: unknown }).body ?? error)}`,
          );
        }
      }
      expect(rejected).toEqual([]);
      expect(objects().length).toBeGreaterThanOrEqual(14);
    });

    test('the overlay exposes the gateway on a NodePort', () => {
      const service = find(overlay, 'Service', 'gateway') as { spec?: { type?: string } } & KubernetesObject;
      expect(service.spec?.type).toBe('NodePort');
    });
  });

  describe("the gateway's ServiceAccount and Role", () => {
    beforeAll(async () => {
      for (const [kind, name] of [
        ['ServiceAccount', 'gateway'],
        ['Role', 'gateway-availability-reader'],
        ['RoleBinding', 'gateway-availability-reader'],
      ] as const) {
        await admin.objects.create(find(base, kind, name));
      }
      const request = await admin.core.createNamespacedServiceAccountToken({
        name: 'gateway',
        namespace: NS,
        body: { spec: { audiences: [], expirationSeconds: 3600 } },
      });
      gatewayToken = request.status!.token;
      gatewayIdentity = apis(harness.tokenConfig(gatewayToken, NS));
    });

    test.each([
      ['get', 'deployments', 'apps'],
      ['list', 'deployments', 'apps'],
      ['watch', 'deployments', 'apps'],
      ['list', 'endpointslices', 'discovery.k8s.io'],
      ['watch', 'endpointslices', 'discovery.k8s.io'],
      ['list', 'services', ''],
      ['watch', 'services', ''],
    ])('may %s %s (group "%s") in shop', async (verb, resource, group) => {
      expect(await can(gatewayIdentity, verb, resource, group, NS)).toBe(true);
    });

    test('a ServiceAccount without the Role stops the source at start, naming the verb and resource', async () => {
      await admin.core.createNamespacedServiceAccount({ namespace: NS, body: { metadata: { name: 'nobody' } } });
      const token = await admin.core.createNamespacedServiceAccountToken({
        name: 'nobody',
        namespace: NS,
        body: { spec: { audiences: [], expirationSeconds: 600 } },
      });
      const source = new KubernetesSource({
        config: validateConfig({
          availability: { sources: ['kubernetes'], kubernetes: { namespaces: [NS] } },
          subgraphs: { customers: { url: 'http://127.0.0.1:1/graphql', kubernetes: { deployments: ['customers'] } } },
        }),
        logger: silentLogger,
        connection: {
          kubeConfig: harness.tokenConfig(token.status!.token, NS),
          defaultNamespace: NS,
          description: 'e2e',
        },
      });
      await expect(source.start(() => {})).rejects.toThrow(
        /^forbidden to list\/watch deployments\.apps in namespace shop: the gateway's service account needs get, list, watch/,
      );
      await source.stop();
    });

    test.each([
      ['update', 'deployments', 'apps', NS],
      ['patch', 'deployments', 'apps', NS],
      ['delete', 'services', '', NS],
      ['get', 'secrets', '', NS],
      ['list', 'pods', '', NS],
      ['create', 'configmaps', '', NS],
      ['list', 'deployments', 'apps', 'kube-system'],
    ])('may not %s %s (group "%s") in namespace %s', async (verb, resource, group, namespace) => {
      expect(await can(gatewayIdentity, verb, resource, group, namespace)).toBe(false);
    });
  });

  describe('the gateway follows Deployments, Services and EndpointSlices', () => {
    const backends = new Backends();
    let gateway: RunningGateway;
    let source: KubernetesSource;
    /** The gateway reaches the API server through this, so a test can partition them. */
    let proxy: TcpProxy;

    beforeAll(async () => {
      await backends.startAll();
      for (const name of ['customers', 'invoices', 'invoices-service']) {
        await admin.objects.create(find(base, 'Deployment', name));
        await admin.objects.create(find(base, 'Service', name));
        await writeStatus(admin, NS, name, { replicas: 3, availableReplicas: 3, readyReplicas: 3 });
        await writeEndpoints(admin, NS, name, [true, true, undefined]);
      }
      const config = shippedConfig(backends);
      proxy = new TcpProxy(harness.ready!.port);
      const proxied = harness.tokenConfig(gatewayToken, NS, await proxy.start());
      source = new KubernetesSource({
        config,
        logger: process.env.E2E_LOGS ? createLogger('kubernetes-source', 'debug') : silentLogger,
        connection: { kubeConfig: proxied, defaultNamespace: NS, description: 'e2e, through a proxy' },
      });
      gateway = await startGateway({ config, logger: silentLogger, sources: [source] });
    });
    afterAll(async () => {
      await gateway?.close();
      await proxy?.stop();
      await backends.stopAll();
    });

    test('starts with both subgraphs composed, as the cluster says', async () => {
      const up = await affordancesWhere(gateway, (a) => composed('customers')(a) && composed('invoices')(a));
      expect(up.subgraphs.find((s) => s.name === 'customers')!.checks).toEqual([
        expect.objectContaining({ source: 'kubernetes', id: 'deployment shop/customers', ok: true }),
        expect.objectContaining({ source: 'kubernetes', id: 'endpoints shop/customers', ok: true }),
      ]);
      expect((await gql(gateway.url, '{ customers { name invoices { id } } }')).errors).toBeUndefined();
    });

    test('drops customers when its available replicas go to 0, re-adds it when they return (and says how fast)', async () => {
      const written = performance.now();
      await writeStatus(admin, NS, 'customers', { replicas: 3, availableReplicas: 0 });
      const down = await affordancesWhere(gateway, composed('customers', false));
      const dropMs = performance.now() - written;
      expect(down.subgraphs.find((s) => s.name === 'customers')!.reason).toBe(
        'deployment shop/customers has 0 of 3 replicas available',
      );
      expect(down.unavailable.map((op) => op.name).sort()).toEqual(['createCustomer', 'customer', 'customers']);
      const introspection = await gql<{ __schema: { queryType: { fields: { name: string }[] } } }>(
        gateway.url,
        '{ __schema { queryType { fields { name } } } }',
      );
      expect(introspection.data!.__schema.queryType.fields.map((f) => f.name)).not.toContain('customers');
      expect((await gql(gateway.url, '{ customers { id } }')).errors?.[0]?.extensions?.code).toBe(
        'OPERATION_UNAVAILABLE',
      );

      const restored = performance.now();
      await writeStatus(admin, NS, 'customers', { replicas: 3, availableReplicas: 2 });
      await affordancesWhere(gateway, composed('customers'));
      const addMs = performance.now() - restored;
      console.info(`status write → schema served: drop ${dropMs.toFixed(0)} ms, re-add ${addMs.toFixed(0)} ms`);
      expect(dropMs).toBeLessThan(5000);
      expect(addMs).toBeLessThan(5000);
    });

    test('a missing availableReplicas means 0 (the API omits zero counts)', async () => {
      await writeStatus(admin, NS, 'customers', { replicas: 3 });
      const down = await affordancesWhere(gateway, composed('customers', false));
      expect(down.subgraphs.find((s) => s.name === 'customers')!.reason).toMatch(/has 0 of 3 replicas available/);
      await writeStatus(admin, NS, 'customers', { replicas: 3, availableReplicas: 3 });
      await affordancesWhere(gateway, composed('customers'));
    });

    test('kubectl scale --replicas=0 drops it although Available stays True', async () => {
      await scale(admin, NS, 'customers', 0);
      await writeStatus(admin, NS, 'customers', {
        conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }],
      });
      const down = await affordancesWhere(gateway, composed('customers', false));
      expect(down.subgraphs.find((s) => s.name === 'customers')!.reason).toMatch(/has 0 of 0 replicas available/);
      await scale(admin, NS, 'customers', 3);
      await writeStatus(admin, NS, 'customers', { replicas: 3, availableReplicas: 3 });
      await affordancesWhere(gateway, composed('customers'));
    });

    test('invoices goes down with the gRPC service Deployment it depends on', async () => {
      await writeStatus(admin, NS, 'invoices-service', { replicas: 3, availableReplicas: 0 });
      const down = await affordancesWhere(gateway, composed('invoices', false));
      expect(down.subgraphs.find((s) => s.name === 'invoices')!.reason).toBe(
        'deployment shop/invoices-service has 0 of 3 replicas available',
      );
      expect(composed('customers')(down)).toBe(true);
      await writeStatus(admin, NS, 'invoices-service', { replicas: 3, availableReplicas: 3 });
      await affordancesWhere(gateway, composed('invoices'));
    });

    test('a Service with no ready endpoint drops its subgraph (second signal)', async () => {
      await writeEndpoints(admin, NS, 'customers', [false, false]);
      const down = await affordancesWhere(gateway, composed('customers', false));
      expect(down.subgraphs.find((s) => s.name === 'customers')!.reason).toBe(
        'endpoints shop/customers: service shop/customers has no ready endpoints',
      );
      await writeEndpoints(admin, NS, 'customers', [false, true]);
      await affordancesWhere(gateway, composed('customers'));
    });

    test('the API server stops and restarts: last known state kept, then it converges to what was written meanwhile', async () => {
      await harness.stop();
      // Still composed, and every check says its state is the last one known.
      const stale = await affordancesWhere(gateway, (a) =>
        a.subgraphs.find((s) => s.name === 'customers')!.checks.every((c) => /last known state/.test(c.reason)),
      );
      expect(composed('customers')(stale)).toBe(true);
      expect(stale.subgraphs.find((s) => s.name === 'customers')!.checks[0]!.reason).toMatch(
        /^deployment shop\/customers has 3 of 3 replicas available \(last known state: the watch of deployments in shop is failing since .*: (connection refused|connection closed by the other side)\)$/,
      );
      await harness.start();
      // Written while the gateway's watches are still failing and backing off.
      await writeStatus(admin, NS, 'customers', { replicas: 3, availableReplicas: 0 });
      const converged = await affordancesWhere(
        gateway,
        (a) =>
          composed('customers', false)(a) &&
          a.subgraphs.find((s) => s.name === 'customers')!.reason ===
            'deployment shop/customers has 0 of 3 replicas available',
      );
      expect(JSON.stringify(converged.subgraphs)).not.toMatch(/last known state/);
      expect(source.watchRestarts()).toBeGreaterThan(0);
      await writeStatus(admin, NS, 'customers', { replicas: 3, availableReplicas: 3 });
      await affordancesWhere(gateway, composed('customers'));
    });

    test('an expired watch (410 Gone) forces a relist that does not lose the transition', async () => {
      const deployments = () => source.watchHealth().find((w) => w.resource === 'deployments in shop')!;
      const listsBefore = deployments().lists;
      // Partition the gateway from the API server; meanwhile a transition happens and etcd
      // is compacted past the gateway's resourceVersion, so resuming its watch gets 410.
      proxy.cut();
      await writeStatus(admin, NS, 'invoices', { replicas: 3, availableReplicas: 0 });
      await harness.compact();
      proxy.restore();
      const down = await affordancesWhere(gateway, composed('invoices', false));
      expect(down.subgraphs.find((s) => s.name === 'invoices')!.reason).toBe(
        'deployment shop/invoices has 0 of 3 replicas available',
      );
      expect(deployments().lists).toBeGreaterThan(listsBefore);
      await writeStatus(admin, NS, 'invoices', { replicas: 3, availableReplicas: 3 });
      await affordancesWhere(gateway, composed('invoices'));
    });
  });

  describe('discovery from annotated Services', () => {
    test('annotating a Service adds its subgraph; removing the annotation removes it', async () => {
      const backends = await new Backends().startAll();
      const reviews = await serveSubgraph(
        buildSubgraphSchema({
          typeDefs: parseGraphQL(`
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
            type Review { id: ID! stars: Int! }
            type Query { reviews: [Review!]! }
          `),
          resolvers: { Query: { reviews: () => [{ id: 'r1', stars: 5 }] } },
        }),
        { port: 0, logger: silentLogger },
      );
      const config = shippedConfig(backends, { discovery: true });
      const gateway = await startGateway({
        config,
        logger: silentLogger,
        sources: [
          new KubernetesSource({
            config,
            logger: silentLogger,
            connection: { kubeConfig: harness.tokenConfig(gatewayToken, NS), defaultNamespace: NS, description: 'e2e' },
          }),
        ],
      });
      try {
        const deployment = structuredClone(find(base, 'Deployment', 'customers'));
        deployment.metadata = { name: 'reviews', namespace: NS, labels: { app: 'reviews' } };
        await admin.objects.create(deployment);
        await writeStatus(admin, NS, 'reviews', { replicas: 1, availableReplicas: 1 });
        await writeEndpoints(admin, NS, 'reviews', [true]);
        await admin.core.createNamespacedService({
          namespace: NS,
          body: {
            metadata: {
              name: 'reviews',
              annotations: {
                [Annotations.subgraph]: 'reviews',
                [Annotations.url]: `${reviews.url}/graphql`,
              },
            },
            spec: { selector: { app: 'reviews' }, ports: [{ port: 4003 }] },
          },
        });
        const added = await affordancesWhere(gateway, composed('reviews'));
        expect(added.available.map((op) => op.name)).toContain('reviews');
        expect((await gql(gateway.url, '{ reviews { stars } }')).data).toEqual({ reviews: [{ stars: 5 }] });

        const service = await admin.core.readNamespacedService({ name: 'reviews', namespace: NS });
        delete service.metadata!.annotations![Annotations.subgraph];
        await admin.core.replaceNamespacedService({ name: 'reviews', namespace: NS, body: service });
        const removed = await affordancesWhere(
          gateway,
          (a) => !a.subgraphs.some((s) => s.name === 'reviews') && !a.available.some((op) => op.name === 'reviews'),
        );
        expect(removed.unavailable.map((op) => op.name)).not.toContain('reviews');
        expect(composed('customers')(removed)).toBe(true);
      } finally {
        await gateway.close();
        await reviews.close();
        await backends.stopAll();
      }
    });
  });
});
