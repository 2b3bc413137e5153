import type { KubernetesObject, V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { Affordances } from '../../src/affordances/types.js';
import { validateConfig } from '../../src/config/load.js';
import type { GatewayConfig } from '../../src/config/schema.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { KubernetesSource } from '../../src/sources/kubernetes/kubernetesSource.js';
import { createLogger, silentLogger } from '../../src/platform/logger.js';
import { affordancesWhere, composed, servesField, servesWanted } from '../helpers/gateway.js';
import { gql } from '../helpers/graphql.js';
import { apis, can, eventually, follow, kustomizeBuild, type Apis } from './cluster.js';
import { GatewayProcess } from './gatewayProcess.js';
import { buildHarness, Harness } from './harness.js';
import { installCrd, NS, OVERLAY, Shop } from './shop.js';
import { TcpProxy } from './tcpProxy.js';

const harnessBuild = buildHarness();
const describeCluster = harnessBuild.ok ? describe : describe.skip;
if (!harnessBuild.ok) console.warn(`Skipping the end-to-end suite: ${harnessBuild.why}`);

const base = harnessBuild.ok ? kustomizeBuild('k8s/base') : [];
const overlay = harnessBuild.ok ? kustomizeBuild(OVERLAY) : [];
/** The minikube overlay with the optional redis component (the shared rate limit). */
const redisOverlay = harnessBuild.ok ? kustomizeBuild('k8s/overlays/minikube-redis') : [];

const find = (objects: KubernetesObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata?.name === name)!;

const subgraph = (a: Affordances, name: string) => a.subgraphs.find((s) => s.name === name)!;
const checkOf = (a: Affordances, name: string, id: string) => subgraph(a, name).checks.find((c) => c.id === id);
const schemaHash = (version: string | undefined) => version?.split('-')[1];

describeCluster('on a control plane: controllers, scheduler and KWOK nodes', () => {
  const harness = new Harness();
  let admin: Apis;
  /** `kubectl -n shop ARGS` as the admin. */
  const kubectl = (...args: string[]) => harness.kubectl(['-n', NS, ...args]);

  beforeAll(async () => {
    await harness.start();
    admin = apis(harness.adminConfig());
    // Namespaced dry runs need the namespace, those of Subgraphs the CRD (the runbook's
    // first step); `kubectl apply -k` adopts both later.
    await admin.objects.create(find(overlay, 'Namespace', NS));
    await installCrd(harness);
  });
  afterAll(async () => harness.stop());

  describe('the manifests in k8s/', () => {
    test.each([
      ['base', () => base],
      ['minikube overlay', () => overlay],
      ['minikube overlay with Redis', () => redisOverlay],
    ])('every object of the %s passes server-side validation (dry run)', async (_name, objects) => {
      const rejected: string[] = [];
      for (const object of objects().filter((o) => o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition')) {
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

  describe('the shop, applied with kubectl apply -k, and gateways on the host', () => {
    const shop = new Shop(harness);
    let token: string;
    let config: GatewayConfig;
    let gateway: RunningGateway;
    let source: KubernetesSource;
    /** The in-process gateway reaches the API server through this, so a test can partition them. */
    let apiProxy: TcpProxy;
    /** Two more gateways, each its own process, watching the same cluster. */
    const processes: GatewayProcess[] = [];

    beforeAll(async () => {
      await shop.deploy();
      token = await shop.gatewayToken();
      config = await shop.gatewayConfig();
      apiProxy = new TcpProxy(harness.ready!.port);
      source = new KubernetesSource({
        config,
        logger: process.env.E2E_LOGS ? createLogger('kubernetes-source', 'debug') : silentLogger,
        connection: {
          kubeConfig: harness.tokenConfig(token, NS, await apiProxy.start()),
          defaultNamespace: NS,
          description: 'e2e, the gateway ServiceAccount through a proxy',
        },
      });
      gateway = await startGateway({ config, logger: silentLogger, sources: [source] });
      const yaml = await shop.gatewayConfigYaml();
      for (let i = 0; i < 2; i++) {
        processes.push(await new GatewayProcess(yaml, shop.tokenKubeconfig(token)).start());
      }
    });
    afterAll(async () => {
      for (const p of processes) await p[Symbol.asyncDispose]();
      await gateway?.close();
      await apiProxy?.stop();
      await shop[Symbol.asyncDispose]();
    });

    // Back to the shop as applied, whatever a test did or failed to undo: nodes schedulable,
    // no fault labels, the manifests' replicas, everything rolled out and composed.
    afterEach(async () => {
      await harness.kubectl(['uncordon', 'kwok-node-0', 'kwok-node-1']);
      await kubectl('label', 'pod', '--all', 'kube-harness.io/fault-');
      await minReadySeconds('customers', 0);
      await harness.kubectl(['apply', '-k', OVERLAY]);
      await shop.rolledOut();
      await settled((a) => composed('customers')(a) && composed('invoices')(a));
    });
    const pods = async (app: string) =>
      (await admin.core.listNamespacedPod({ namespace: NS, labelSelector: `app.kubernetes.io/name=${app}` })).items;
    const podNames = async (app: string) => (await pods(app)).map((p) => p.metadata!.name!).sort();

    /** Waits until the gateway's affordances satisfy `predicate`, then until every gateway process serves the same supergraph. */
    async function settled(predicate: (a: Affordances) => boolean): Promise<Affordances> {
      const affordances = await affordancesWhere(gateway, predicate);
      await converged();
      return affordances;
    }

    /** Every gateway (in-process and both processes) serves the same supergraph, by its hash. */
    async function converged(): Promise<void> {
      await eventually(
        'every gateway serves the same supergraph',
        async () => {
          const mine = schemaHash(gateway.affordances.get()?.affordances.schemaVersion);
          const theirs = await Promise.all(processes.map(async (p) => schemaHash(await p.schemaVersion())));
          return theirs.every((hash) => hash === mine) ? true : undefined;
        },
        30_000,
      );
    }

    /**
     * `name` is dropped and its reason matches `why`: the EndpointSlice controller often
     * tells first (no ready endpoint), the Deployment's status a moment later says why.
     */
    const downBecause = (name: string, why: RegExp) => (a: Affordances) =>
      composed(name, false)(a) && why.test(subgraph(a, name).reason);

    /** Records whether `name` is composed in every affordances the gateway publishes until stopped. */
    function watchComposed(name: string): () => boolean[] {
      const seen: boolean[] = [composed(name)(gateway.affordances.get()!.affordances)];
      const unsubscribe = gateway.affordances.subscribe((s) => seen.push(composed(name)(s.affordances)));
      return () => {
        unsubscribe();
        return seen;
      };
    }

    /** Records a Deployment's available replicas at every change of it until stopped (a watch). */
    async function watchAvailable(name: string): Promise<() => Promise<number[]>> {
      const seen: number[] = [];
      const informer = follow<V1Deployment>({
        kubeConfig: harness.adminConfig(),
        path: `/apis/apps/v1/namespaces/${NS}/deployments`,
        list: () => admin.apps.listNamespacedDeployment({ namespace: NS }),
        onChange: () => {
          const deployment = informer.objects().find((d) => d.metadata?.name === name);
          if (deployment) seen.push(deployment.status?.availableReplicas ?? 0);
        },
      });
      await informer.start();
      return async () => {
        await informer.stop();
        return seen;
      };
    }

    /** The gateway says customers' Deployment has `available` of `desired` replicas available. */
    const customersAvailable = (available: number, desired: number) => (a: Affordances) =>
      checkOf(a, 'customers', 'deployment shop/customers')?.reason ===
      `deployment shop/customers has ${available} of ${desired} replicas available`;

    /** Deployment status as the controllers wrote it. */
    const available = async (name: string) =>
      (await admin.apps.readNamespacedDeployment({ name, namespace: NS })).status?.availableReplicas ?? 0;

    /** Sets spec.minReadySeconds: a pod counts as available only once ready that long (as a slow container would). */
    const minReadySeconds = (name: string, seconds: number) =>
      kubectl(
        'patch',
        'deployment',
        name,
        '--type=merge',
        '-p',
        JSON.stringify({ spec: { minReadySeconds: seconds } }),
      );

    test('starts with both subgraphs composed, as the cluster says, each pod a process on its loopback IP', async () => {
      const up = await settled((a) => composed('customers')(a) && composed('invoices')(a));
      expect(subgraph(up, 'customers').checks).toEqual([
        expect.objectContaining({
          source: 'kubernetes',
          id: 'deployment shop/customers',
          ok: true,
          reason: 'deployment shop/customers has 3 of 3 replicas available',
        }),
        // Its backend, the database (a StatefulSet listed in its Subgraph resource).
        expect.objectContaining({
          source: 'kubernetes',
          id: 'statefulset shop/postgres',
          ok: true,
          reason: 'statefulset shop/postgres has 1 of 1 replicas available',
        }),
        expect.objectContaining({
          id: 'endpoints shop/customers',
          ok: true,
          reason: 'service shop/customers has 3 ready endpoints',
        }),
      ]);
      for (const pod of await pods('customers')) expect(pod.status?.podIP).toMatch(/^127\.1\.[01]\.\d+$/);
      const answer = await gql(gateway.url, '{ customers { name invoices { id amount } } }');
      expect(answer.errors).toBeUndefined();
      expect((answer.data as { customers: unknown[] }).customers.length).toBeGreaterThan(0);
    });

    test('kubectl scale customers to 0 drops it; back to 3 re-adds it (and says how fast)', async () => {
      const scaled = performance.now();
      await kubectl('scale', 'deployment', 'customers', '--replicas=0');
      await affordancesWhere(gateway, composed('customers', false));
      const dropMs = performance.now() - scaled;
      const down = await settled(downBecause('customers', /^deployment shop\/customers has 0 of 0 replicas available/));
      expect(down.unavailable.map((op) => op.name).sort()).toEqual(['createCustomer', 'customer', 'customers']);
      expect((await gql(gateway.url, '{ customers { id } }')).errors?.[0]?.extensions?.code).toBe(
        'OPERATION_UNAVAILABLE',
      );

      const restored = performance.now();
      await kubectl('scale', 'deployment', 'customers', '--replicas=3');
      await affordancesWhere(gateway, composed('customers'));
      const addMs = performance.now() - restored;
      await converged();
      console.info(
        `kubectl scale → schema served: drop ${dropMs.toFixed(0)} ms (0 replicas), re-add ${addMs.toFixed(0)} ms (pods scheduled, ready, processes started, SDL read)`,
      );
      expect(dropMs).toBeLessThan(10_000);
      expect(addMs).toBeLessThan(20_000);
    });

    test('a deleted customers pod is recreated by its ReplicaSet; customers stays composed meanwhile', async () => {
      const before = await podNames('customers');
      const seen = watchComposed('customers');
      await kubectl('delete', 'pod', before[0]!);
      await eventually('the ReplicaSet recreated the pod and it is available', async () => {
        const names = await podNames('customers');
        return names.length === 3 && !names.includes(before[0]!) && (await available('customers')) === 3
          ? true
          : undefined;
      });
      const up = await settled(composed('customers'));
      expect(seen()).not.toContain(false);
      expect(checkOf(up, 'customers', 'deployment shop/customers')?.reason).toBe(
        'deployment shop/customers has 3 of 3 replicas available',
      );
    });

    test('all three deleted: dropped while none is available, back once the recreated pods are', async () => {
      // The recreated pods count as available 3 s after they are ready, like a slow start.
      await minReadySeconds('customers', 3);
      try {
        const before = await podNames('customers');
        const deleted = performance.now();
        await kubectl('delete', 'pod', '-l', 'app.kubernetes.io/name=customers');
        await affordancesWhere(gateway, composed('customers', false));
        const dropMs = performance.now() - deleted;
        await settled(downBecause('customers', /^deployment shop\/customers has 0 of 3 replicas available/));
        await affordancesWhere(gateway, composed('customers'));
        const backMs = performance.now() - deleted;
        await converged();
        const after = await podNames('customers');
        expect(after).toHaveLength(3);
        expect(after.filter((n) => before.includes(n))).toEqual([]);
        console.info(
          `kubectl delete pod (all three) → dropped in ${dropMs.toFixed(0)} ms, back in ${backMs.toFixed(0)} ms`,
        );
      } finally {
        await minReadySeconds('customers', 0);
      }
    });

    /** Sets (or, with undefined, removes) the harness's KWOK fault label on pods. */
    const fault = (podNamesOrSelector: string[], value: string | undefined) =>
      kubectl(
        'label',
        'pod',
        ...podNamesOrSelector,
        `kube-harness.io/fault${value ? `=${value}` : '-'}`,
        '--overwrite',
      );

    test('a pod stuck not ready (KWOK stage) is counted unavailable', async () => {
      const [one] = await podNames('customers');
      await fault([one!], 'not-ready');
      const degraded = await settled(
        (a) =>
          checkOf(a, 'customers', 'deployment shop/customers')?.reason ===
            'deployment shop/customers has 2 of 3 replicas available' &&
          checkOf(a, 'customers', 'endpoints shop/customers')?.reason ===
            'service shop/customers has 2 ready endpoints',
      );
      expect(composed('customers')(degraded)).toBe(true);
      expect(subgraph(degraded, 'customers').checks.map((c) => c.replicas)).toContainEqual({
        available: 2,
        desired: 3,
      });
      const pod = (await admin.core.readNamespacedPod({ name: one!, namespace: NS })) as V1Pod;
      expect(pod.status?.phase).toBe('Running');
      expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');

      await fault([one!], undefined);
      await settled(customersAvailable(3, 3));
    });

    test('a pod that KWOK deletes (its deleted stage, as after a kubelet eviction) is replaced; customers stays composed', async () => {
      const [victim] = await podNames('customers');
      const seen = watchComposed('customers');
      await fault([victim!], 'deleted');
      await eventually('the pod is gone and replaced', async () => {
        const names = await podNames('customers');
        return names.length === 3 && !names.includes(victim!) && (await available('customers')) === 3
          ? true
          : undefined;
      });
      await settled(composed('customers'));
      expect(seen()).not.toContain(false);
    });

    test('crash-looping pods (KWOK stage) are unavailable: all three drop customers, and the reason says so', async () => {
      const names = await podNames('customers');
      await fault(names, 'crash-loop');
      await settled(downBecause('customers', /^deployment shop\/customers has 0 of 3 replicas available/));
      const crashing = await eventually('every pod is in CrashLoopBackOff', async () => {
        const all = await pods('customers');
        return all.every((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff')
          ? all
          : undefined;
      });
      for (const pod of crashing) expect(pod.status!.containerStatuses![0]!.restartCount).toBeGreaterThanOrEqual(1);
      // The same pods, not recreated: a crash loop restarts containers in place.
      expect(crashing.map((p) => p.metadata!.name).sort()).toEqual(names);

      await fault(names, undefined);
      await settled(composed('customers'));
    });

    test('a rolling update with the manifest strategy never drops customers', async () => {
      const before = await podNames('customers');
      const seen = watchComposed('customers');
      const available3 = await watchAvailable('customers');
      await kubectl('rollout', 'restart', 'deployment/customers');
      await kubectl('rollout', 'status', 'deployment/customers', '--timeout=90s');
      const up = await settled(composed('customers'));
      expect(seen()).not.toContain(false);
      expect(Math.min(...(await available3()))).toBeGreaterThanOrEqual(1);
      const after = await podNames('customers');
      expect(after.filter((n) => before.includes(n))).toEqual([]);
      expect(checkOf(up, 'customers', 'deployment shop/customers')?.ok).toBe(true);
    });

    test('one replica with maxUnavailable: 1: a rolling update drops customers, and affordances say why', async () => {
      const strategy = (maxSurge: number | string, maxUnavailable: number | string) =>
        JSON.stringify({ spec: { strategy: { rollingUpdate: { maxSurge, maxUnavailable } } } });
      await kubectl('scale', 'deployment', 'customers', '--replicas=1');
      await kubectl('patch', 'deployment', 'customers', '--type=merge', '-p', strategy(0, 1));
      await minReadySeconds('customers', 2);
      try {
        await settled(customersAvailable(1, 1));
        await kubectl('rollout', 'restart', 'deployment/customers');
        // The EndpointSlice (no ready endpoint) may tell first; the Deployment says why.
        const down = await settled(
          downBecause('customers', /^deployment shop\/customers has 0 of 1 replicas available/),
        );
        expect(down.unavailable.find((op) => op.name === 'customers')?.reason).toMatch(
          /subgraph customers is unavailable: deployment shop\/customers has 0 of 1 replicas available/,
        );
        await kubectl('rollout', 'status', 'deployment/customers', '--timeout=90s');
        await settled(composed('customers'));
      } finally {
        await minReadySeconds('customers', 0);
        await kubectl('patch', 'deployment', 'customers', '--type=merge', '-p', strategy('25%', '25%'));
        await kubectl('scale', 'deployment', 'customers', '--replicas=3');
        await kubectl('rollout', 'status', 'deployment/customers', '--timeout=90s');
        await settled(customersAvailable(3, 3));
      }
    });

    test('a new schema version rolled out through the Deployment: while both serve, only what both have; then the new one whole; a rollback the same way', async () => {
      const customers = (a: Affordances) => subgraph(a, 'customers');
      /** The versions' pod counts, once the gateway serves what composition wants (affordances tell first). */
      const pods = (a: Affordances) =>
        servesWanted(gateway) ? JSON.stringify(customers(a).versions.map((v) => v.endpoints)) : 'swapping';
      const hasPhone = () => servesField(gateway, 'Customer', 'phone');
      /**
       * Starts a rollout and holds it after its first new pod: with minReadySeconds 5 that pod
       * is ready (in the EndpointSlice) but not yet available, so the controller keeps the three
       * old ones (maxUnavailable 25% of 3 is 0) until `rollout pause`, issued within those 5 s, stops it.
       */
      const rollOneNewPod = async (...change: string[]) => {
        await kubectl(...change);
        await kubectl('rollout', 'pause', 'deployment/customers');
      };
      const finish = async () => {
        await kubectl('rollout', 'resume', 'deployment/customers');
        await kubectl('rollout', 'status', 'deployment/customers', '--timeout=90s');
      };
      await minReadySeconds('customers', 5);
      try {
        await settled(customersAvailable(3, 3));
        await rollOneNewPod('set', 'env', 'deployment/customers', 'CUSTOMERS_SCHEMA_VERSION=2');
        const mixed = await settled((a) => pods(a) === '[3,1]');
        expect(hasPhone()).toBe(false);
        expect(customers(mixed).composed).toBe(true);
        expect(mixed.removed.find((r) => r.coordinate === 'Customer.phone')?.reason).toMatch(
          /^customers is rolling out \(deployment shop\/customers revision \d+ is rolling out: 1 of 3 replicas updated\): 3 pods serve version [0-9a-f]{4}, 1 pod serves [0-9a-f]{4}; field Customer\.phone is unknown to [0-9a-f]{4}$/,
        );
        // What both versions have keeps working, whichever pod answers; the rest is refused, with why.
        expect((await gql(gateway.url, '{ customers(first: 2) { name } }')).errors).toBeUndefined();
        const refused = await gql(gateway.url, '{ customers(first: 2) { phone } }');
        expect(refused.errors?.[0]?.extensions?.code).toBe('OPERATION_UNAVAILABLE');

        await finish();
        const v2 = await settled((a) => pods(a) === '[3]' && a.removed.length === 0);
        expect(hasPhone()).toBe(true);
        expect(customers(v2).versions[0]!.hash).not.toBe(customers(mixed).versions[0]!.hash);
        const answer = await gql<{ customers: { phone: string }[] }>(gateway.url, '{ customers(first: 2) { phone } }');
        expect(answer.data?.customers.map((c) => c.phone)).toEqual([
          expect.stringMatching(/^\+1555/),
          expect.stringMatching(/^\+1555/),
        ]);

        // A rollback: the field leaves as soon as one pod without it serves, and stays out.
        await settled(customersAvailable(3, 3));
        await rollOneNewPod('rollout', 'undo', 'deployment/customers');
        await settled((a) => pods(a) === '[3,1]');
        expect(hasPhone()).toBe(false);
        await finish();
        await settled((a) => pods(a) === '[3]' && a.removed.length === 0);
        expect(hasPhone()).toBe(false);
      } finally {
        await kubectl('rollout', 'resume', 'deployment/customers').catch(() => undefined);
        await minReadySeconds('customers', 0);
      }
    }, 240_000);

    test('invoices goes down with the gRPC service Deployment it depends on', async () => {
      await kubectl('scale', 'deployment', 'invoices-service', '--replicas=0');
      const down = await settled(
        downBecause('invoices', /deployment shop\/invoices-service has 0 of 0 replicas available/),
      );
      expect(composed('customers')(down)).toBe(true);
      await kubectl('scale', 'deployment', 'invoices-service', '--replicas=3');
      await settled(composed('invoices'));
      // The invoices subgraph reaches the gRPC pods through the Service again.
      await eventually('a query across both subgraphs answers', async () => {
        const answer = await gql(gateway.url, '{ customers { invoices { id } } }');
        return answer.errors ? undefined : answer;
      });
    });

    test('a node drain (cordon, then evict) respects the gateway PodDisruptionBudget', async () => {
      const nodeOf = async (app: string) => (await pods(app)).map((p) => p.spec?.nodeName);
      const drain = (node: string, timeout: string) =>
        // PostgreSQL's pod has emptyDir volumes (its /tmp and socket directory), which drain
        // keeps unless told: they hold nothing that outlives the pod.
        harness.kubectl(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', `--timeout=${timeout}`], {
          stderr: true,
        });
      // Everything onto kwok-node-1, which is then the last node that can take pods.
      await drain('kwok-node-0', '120s');
      await shop.rolledOut();
      expect(await nodeOf('gateway')).toEqual(['kwok-node-1', 'kwok-node-1']);
      const gatewayAvailable = await watchAvailable('gateway');
      try {
        // Draining the last node: the subgraphs' pods are evicted and stay Pending (no PDB
        // protects them), so their subgraphs drop; of the gateway's two pods the budget
        // (minAvailable: 1) lets one go, and refuses the other while its replacement cannot run.
        const blocked = await drain('kwok-node-1', '8s').then(
          () => 'drained',
          (error: Error) => error.message,
        );
        expect(blocked).toMatch(/Cannot evict pod as it would violate the pod's disruption budget/);
        await settled(
          (a) => downBecause('customers', /has 0 of 3 replicas available/)(a) && composed('invoices', false)(a),
        );
        expect((await pods('gateway')).filter((p) => p.status?.phase === 'Running')).toHaveLength(1);
        // A node to go to: the evicted pods are scheduled there, then the drain completes.
        await harness.kubectl(['uncordon', 'kwok-node-0']);
        await settled((a) => composed('customers')(a) && composed('invoices')(a));
        expect(await drain('kwok-node-1', '120s')).toMatch(/node\/kwok-node-1 drained/);
        await shop.rolledOut();
      } finally {
        const availability = await gatewayAvailable();
        await harness.kubectl(['uncordon', 'kwok-node-0']);
        await harness.kubectl(['uncordon', 'kwok-node-1']);
        expect(Math.min(...availability)).toBeGreaterThanOrEqual(1);
      }
      for (const app of ['gateway', 'customers', 'invoices', 'invoices-service']) {
        expect(new Set(await nodeOf(app))).toEqual(new Set(['kwok-node-0']));
      }
      await settled((a) => composed('customers')(a) && composed('invoices')(a));
    });

    test('the control plane stops and restarts: last known state kept, then it converges to what changed meanwhile', async () => {
      await harness.stop();
      try {
        await lastKnownStateKept();
      } finally {
        await harness.start();
      }
      // Changed while the gateways' watches are still failing and backing off.
      await kubectl('scale', 'deployment', 'customers', '--replicas=0');
      // Every watch back (an early one may meet the restarting API server's 403s, retried).
      await settled(
        (a) =>
          downBecause('customers', /^deployment shop\/customers has 0 of 0 replicas available/)(a) &&
          !/last known state/.test(JSON.stringify(a.subgraphs)),
      );
      expect(source.watchRestarts()).toBeGreaterThan(0);
      await kubectl('scale', 'deployment', 'customers', '--replicas=3');
      await settled(composed('customers'));
    });

    async function lastKnownStateKept(): Promise<void> {
      const stale = await affordancesWhere(gateway, (a) =>
        subgraph(a, 'customers').checks.every((c) => /last known state/.test(c.reason)),
      );
      expect(composed('customers')(stale)).toBe(true);
      expect(subgraph(stale, 'customers').checks[0]!.reason).toMatch(
        /^deployment shop\/customers has 3 of 3 replicas available \(last known state: the watch of deployments in shop is failing since .*: (connection refused|connection closed by the other side)\)$/,
      );
    }

    test('an expired watch (410 Gone) forces a relist that does not lose the transition', async () => {
      const deployments = () => source.watchHealth().find((w) => w.resource === 'deployments in shop')!;
      const listsBefore = deployments().lists;
      // Partition the gateway from the API server; meanwhile a transition happens and etcd
      // is compacted past the gateway's resourceVersion, so resuming its watch gets 410.
      apiProxy.cut();
      await kubectl('scale', 'deployment', 'invoices', '--replicas=0');
      await eventually('the controllers report 0 available', async () =>
        (await available('invoices')) === 0 ? true : undefined,
      );
      await harness.compact();
      apiProxy.restore();
      await settled(downBecause('invoices', /^deployment shop\/invoices has 0 of 0 replicas available/));
      expect(deployments().lists).toBeGreaterThan(listsBefore);
      await kubectl('scale', 'deployment', 'invoices', '--replicas=3');
      await settled(composed('invoices'));
    });
  });

  describe("the gateway's ServiceAccount and Role (as applied above)", () => {
    let gatewayIdentity: Apis;
    beforeAll(async () => {
      const token = (await kubectl('create', 'token', 'gateway', '--duration=10m')).trim();
      gatewayIdentity = apis(harness.tokenConfig(token, NS));
    });

    const LEASE = 'affordance-gateway-status';
    test.each([
      ['get', 'deployments', 'apps', ''],
      ['list', 'deployments', 'apps', ''],
      ['watch', 'deployments', 'apps', ''],
      ['list', 'statefulsets', 'apps', ''],
      ['watch', 'statefulsets', 'apps', ''],
      ['list', 'endpointslices', 'discovery.k8s.io', ''],
      ['watch', 'endpointslices', 'discovery.k8s.io', ''],
      ['get', 'subgraphs', 'affordance-gateway.io', ''],
      ['list', 'subgraphs', 'affordance-gateway.io', ''],
      ['watch', 'subgraphs', 'affordance-gateway.io', ''],
      ['update', 'subgraphs/status', 'affordance-gateway.io', ''],
      ['patch', 'subgraphs/status', 'affordance-gateway.io', ''],
      ['create', 'events', 'events.k8s.io', ''],
      ['patch', 'events', 'events.k8s.io', ''],
      ['create', 'leases', 'coordination.k8s.io', ''],
      ['get', 'leases', 'coordination.k8s.io', LEASE],
      ['update', 'leases', 'coordination.k8s.io', LEASE],
    ])('may %s %s (group "%s") in shop %s', async (verb, resource, group, name) => {
      expect(await can(gatewayIdentity, verb, resource, group, NS, name || undefined)).toBe(true);
    });

    test.each([
      ['update', 'deployments', 'apps', NS, ''],
      ['patch', 'deployments', 'apps', NS, ''],
      ['list', 'services', '', NS, ''],
      ['delete', 'services', '', NS, ''],
      ['get', 'secrets', '', NS, ''],
      ['list', 'pods', '', NS, ''],
      ['create', 'configmaps', '', NS, ''],
      ['list', 'deployments', 'apps', 'kube-system', ''],
      // The spec is the user's: the gateway writes only the status subresource.
      ['create', 'subgraphs', 'affordance-gateway.io', NS, ''],
      ['update', 'subgraphs', 'affordance-gateway.io', NS, ''],
      ['patch', 'subgraphs', 'affordance-gateway.io', NS, ''],
      ['delete', 'subgraphs', 'affordance-gateway.io', NS, ''],
      ['get', 'subgraphs/status', 'affordance-gateway.io', 'kube-system', ''],
      ['list', 'events', 'events.k8s.io', NS, ''],
      ['delete', 'events', 'events.k8s.io', NS, ''],
      ['create', 'events', '', NS, ''],
      // Only its own Lease: not another controller's, and never one it may delete.
      ['update', 'leases', 'coordination.k8s.io', NS, 'kube-scheduler'],
      ['get', 'leases', 'coordination.k8s.io', NS, 'other'],
      ['list', 'leases', 'coordination.k8s.io', NS, ''],
      ['delete', 'leases', 'coordination.k8s.io', NS, LEASE],
      ['patch', 'leases', 'coordination.k8s.io', NS, LEASE],
      ['create', 'leases', 'coordination.k8s.io', 'kube-system', ''],
    ])('may not %s %s (group "%s") in namespace %s %s', async (verb, resource, group, namespace, name) => {
      expect(await can(gatewayIdentity, verb, resource, group, namespace, name || undefined)).toBe(false);
    });

    test('a ServiceAccount without the Role stops the source at start, naming the verb and resource', async () => {
      await kubectl('create', 'serviceaccount', 'nobody');
      const nobody = (await kubectl('create', 'token', 'nobody', '--duration=10m')).trim();
      const denied = new KubernetesSource({
        config: validateConfig({
          availability: { sources: ['kubernetes'], kubernetes: { namespaces: [NS] } },
          subgraphs: {
            customers: { url: 'http://127.0.0.1:4001/graphql', kubernetes: { deployments: ['customers'] } },
          },
        }),
        logger: silentLogger,
        connection: { kubeConfig: harness.tokenConfig(nobody, NS), defaultNamespace: NS, description: 'e2e' },
      });
      await expect(denied.start(() => {})).rejects.toThrow(
        /^forbidden to list\/watch deployments\.apps in namespace shop: the gateway's service account needs get, list, watch/,
      );
      await denied.stop();
    });
  });
});
