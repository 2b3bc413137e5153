import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { subgraphsFromResources } from '../../src/sources/kubernetes/subgraphResources.js';
import {
  checkAdminPort,
  checkAutoscaler,
  checkBaseKustomization,
  checkContainers,
  checkDockerfile,
  checkDockerignore,
  checkGateway,
  checkGatewayConfig,
  checkKustomizationFiles,
  checkNamespaces,
  checkNodePortPatch,
  checkObjects,
  checkPostgres,
  checkPostgresSecret,
  checkRbac,
  checkRedisComponent,
  checkReplicas,
  checkSelectors,
  checkSubgraphs,
  contextCopies,
  GATEWAY_NODE_PORT,
  ofKind,
  PART_OF,
  parseYamlDocuments,
  readKustomization,
  readResources,
  REDIS_URL_ENV,
  selects,
  type Deployment,
  type K8sObject,
  type Service,
} from './manifestChecks.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BASE = join(ROOT, 'k8s/base');
const OVERLAY = join(ROOT, 'k8s/overlays/minikube');
const REDIS_OVERLAY = join(ROOT, 'k8s/overlays/minikube-redis');
const REDIS_COMPONENT = join(ROOT, 'k8s/components/redis');

const base = readResources(BASE);
const overlayPatches = (readKustomization(OVERLAY).patches ?? []).flatMap((p) =>
  p.path ? parseYamlDocuments(readFileSync(join(OVERLAY, p.path), 'utf8'), p.path) : [],
);
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8');

/** A deep copy of the base to break. */
const copy = (): K8sObject[] => structuredClone(base);
const deployment = (objects: K8sObject[], name: string): Deployment =>
  ofKind<Deployment>(objects, 'Deployment').find((d) => d.metadata?.name === name)!;
const container = (objects: K8sObject[], name: string) => deployment(objects, name).spec!.template!.spec!.containers![0]!;
const byName = <T extends K8sObject>(objects: K8sObject[], kind: string, name: string): T =>
  ofKind<T>(objects, kind).find((o) => o.metadata?.name === name)!;
/**
 * What `kubectl apply -k` would apply for an overlay (`minikube`, `minikube-redis`):
 * kubectl's built-in kustomize over a copy of k8s/, with the env file the runbook makes
 * for PostgreSQL's Secret (git-ignored: a checkout does not have it).
 */
function render(overlay: string): K8sObject[] {
  const copyDir = mkdtempSync(join(tmpdir(), 'ag-k8s-'));
  try {
    cpSync(join(ROOT, 'k8s'), copyDir, { recursive: true });
    const envFile = join(copyDir, 'base', 'postgres.env');
    if (!existsSync(envFile)) writeFileSync(envFile, 'POSTGRES_PASSWORD=rendered-by-the-manifest-test\n');
    const out = execFileSync('kubectl', ['kustomize', join(copyDir, 'overlays', overlay)], { encoding: 'utf8' });
    return parseYamlDocuments(out, 'kubectl kustomize');
  } finally {
    rmSync(copyDir, { recursive: true, force: true });
  }
}
/** kubectl's built-in kustomize renders an overlay exactly as `kubectl apply -k` would. */
const kubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('k8s/ kustomizations', () => {
  test('every listed file exists and every YAML file is listed', () => {
    expect(checkKustomizationFiles(BASE)).toEqual([]);
    expect(checkKustomizationFiles(OVERLAY)).toEqual([]);
    expect(checkKustomizationFiles(REDIS_COMPONENT)).toEqual([]);
    expect(checkKustomizationFiles(REDIS_OVERLAY)).toEqual([]);
    expect(readKustomization(REDIS_OVERLAY)).toEqual(
      expect.objectContaining({ resources: ['../minikube'], components: ['../../components/redis'] }),
    );
    expect(readKustomization(OVERLAY).resources).toContain('../../base');
  });

  test('the base sets namespace shop and the part-of label', () => {
    expect(checkBaseKustomization(readKustomization(BASE))).toEqual([]);
  });

  test('the file check reports an unlisted file and a listed file that is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ag-kustomize-'));
    try {
      writeFileSync(join(dir, 'kustomization.yaml'), stringify({ resources: ['a.yaml', 'gone.yaml'] }));
      writeFileSync(join(dir, 'a.yaml'), 'kind: ConfigMap\n');
      writeFileSync(join(dir, 'forgotten.yaml'), 'kind: ConfigMap\n');
      expect(checkKustomizationFiles(dir)).toEqual([
        expect.stringMatching(/gone\.yaml does not exist/),
        expect.stringMatching(/forgotten\.yaml is not listed/),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(checkBaseKustomization({ namespace: 'default' })).toEqual([
      expect.stringMatching(/namespace is default/),
      expect.stringMatching(/part-of/),
    ]);
  });
});

describe('k8s/base objects', () => {
  test('pass every check', () => {
    expect(checkObjects(base)).toEqual([]);
  });

  test('hold Deployments, Services, RBAC, ConfigMap, PDB, the Namespace, the Subgraph CRD and the Subgraphs', () => {
    const kinds = base.map((o) => `${o.kind}/${o.metadata?.name}`).sort();
    expect(kinds).toEqual(
      [
        'ConfigMap/gateway-config',
        'CustomResourceDefinition/subgraphs.affordance-gateway.io',
        'Subgraph/customers',
        'Subgraph/invoices',
        'Deployment/customers',
        'Deployment/gateway',
        'Deployment/invoices',
        'Deployment/invoices-service',
        'HorizontalPodAutoscaler/gateway',
        'Namespace/shop',
        'NetworkPolicy/postgres',
        'Service/postgres',
        'StatefulSet/postgres',
        'PodDisruptionBudget/gateway',
        'Role/gateway',
        'RoleBinding/gateway',
        'Service/customers',
        'Service/gateway',
        'Service/invoices',
        'Service/invoices-service',
        'ServiceAccount/gateway',
      ].sort(),
    );
    expect(byName<Service>(base, 'Service', 'gateway').spec?.type).toBe('ClusterIP');
  });

  test('the container check reports a container without probes', () => {
    const objects = copy();
    const c = container(objects, 'customers');
    delete c.readinessProbe;
    delete c.livenessProbe;
    expect(checkContainers(objects)).toEqual([
      'Deployment/customers container customers: no readinessProbe',
      'Deployment/customers container customers: no livenessProbe',
    ]);
  });

  test('the container check reports HTTP probes on the gRPC service and wrong probe paths', () => {
    const objects = copy();
    container(objects, 'invoices-service').readinessProbe = { httpGet: { path: '/readyz', port: 50051 } };
    container(objects, 'invoices').livenessProbe = { httpGet: { path: '/readyz', port: 'http' } };
    expect(checkContainers(objects)).toEqual([
      'Deployment/invoices-service container invoices-service: readinessProbe must be a grpc probe',
      'Deployment/invoices container invoices: livenessProbe path /readyz, want /healthz',
    ]);
  });

  test('the container check reports missing limits, a writable root and root users', () => {
    const objects = copy();
    const c = container(objects, 'gateway');
    delete c.resources!.limits;
    c.securityContext!.readOnlyRootFilesystem = false;
    c.securityContext!.allowPrivilegeEscalation = true;
    delete c.securityContext!.runAsNonRoot;
    delete deployment(objects, 'gateway').spec!.template!.spec!.securityContext!.runAsNonRoot;
    c.securityContext!.capabilities = { drop: [] };
    expect(checkContainers(objects)).toEqual([
      'Deployment/gateway container gateway: no resources.limits.cpu',
      'Deployment/gateway container gateway: no resources.limits.memory',
      'Deployment/gateway container gateway: runAsNonRoot is not true',
      'Deployment/gateway container gateway: allowPrivilegeEscalation is not false',
      'Deployment/gateway container gateway: readOnlyRootFilesystem is not true',
      'Deployment/gateway container gateway: capabilities do not drop ALL',
    ]);
  });

  test('the container check reports image, args, HOST and token mistakes', () => {
    const objects = copy();
    const c = container(objects, 'customers');
    c.image = 'affordance-gateway:latest';
    c.imagePullPolicy = 'Always';
    c.args = ['invoices'];
    c.env = [];
    deployment(objects, 'customers').spec!.template!.spec!.automountServiceAccountToken = true;
    expect(checkContainers(objects)).toEqual([
      'Deployment/customers: automountServiceAccountToken must be false',
      'Deployment/customers container customers: image affordance-gateway:latest, want affordance-gateway:dev',
      'Deployment/customers container customers: imagePullPolicy Always, want IfNotPresent',
      'Deployment/customers container customers: args[0] is invoices, want the subcommand customers',
      'Deployment/customers container customers: env HOST must be 0.0.0.0',
    ]);
  });

  test('replicas are 3/3/3/2 and the check reports a wrong count', () => {
    const replicas = Object.fromEntries(ofKind<Deployment>(base, 'Deployment').map((d) => [d.metadata?.name, d.spec?.replicas]));
    expect(replicas).toEqual({ customers: 3, 'invoices-service': 3, invoices: 3, gateway: 2 });
    const objects = copy();
    deployment(objects, 'invoices').spec!.replicas = 1;
    expect(checkReplicas(objects)).toEqual(['Deployment/invoices: replicas 1, want 3']);
  });

  test('the selector check reports a Deployment, a Service and a PDB that select the wrong pods', () => {
    const objects = copy();
    deployment(objects, 'customers').spec!.template!.metadata!.labels = { 'app.kubernetes.io/name': 'customer' };
    byName<Service>(objects, 'Service', 'invoices').spec!.selector = { 'app.kubernetes.io/name': 'invoice' };
    byName<Service>(objects, 'Service', 'invoices-service').spec!.ports![0]!.targetPort = 'http';
    const pdb = byName<K8sObject & { spec: { selector: { matchLabels: Record<string, string> } } }>(objects, 'PodDisruptionBudget', 'gateway');
    pdb.spec.selector.matchLabels = { 'app.kubernetes.io/part-of': 'affordance-gateway' };
    expect(checkSelectors(objects)).toEqual([
      'Deployment/customers: selector does not match its pod template labels',
      'Service/customers: selector matches 0 workloads, want exactly 1',
      'Service/invoices-service: targetPort http is not a port of Deployment/invoices-service',
      'Service/invoices: selector matches 0 workloads, want exactly 1',
      expect.stringMatching(/^PodDisruptionBudget\/gateway: selects \[\], want the gateway pods only$/),
    ]);
    expect(selects({}, { a: 'b' })).toBe(false);
  });

  test('the gateway check reports a missing preStop sleep, a shell preStop and a writable config mount', () => {
    const objects = copy();
    const c = container(objects, 'gateway');
    c.lifecycle = { preStop: { exec: { command: ['sh', '-c', 'sleep 5'] } } };
    c.volumeMounts![0]!.readOnly = false;
    expect(checkGateway(objects)).toEqual([
      'Deployment/gateway: no preStop sleep (a few seconds)',
      'Deployment/gateway: preStop exec needs a shell the image does not promise',
      'Deployment/gateway: no read-only mount at /etc/affordance-gateway',
    ]);
  });

  test('every object sits in namespace shop, and the check reports one that does not', () => {
    const objects = copy();
    delete byName(objects, 'ConfigMap', 'gateway-config').metadata!.namespace;
    expect(checkNamespaces(objects)).toEqual(['ConfigMap/gateway-config: namespace is undefined, want shop']);
  });
});

describe('gateway admin listener', () => {
  test('server.adminPort 9090 is the container port admin: probes and Prometheus use it, the Service does not', () => {
    expect(checkAdminPort(base)).toEqual([]);
    expect(container(base, 'gateway').ports).toEqual(
      expect.arrayContaining([{ name: 'admin', containerPort: 9090, protocol: 'TCP' }]),
    );
  });

  test('the check reports a probe on the public port, a scrape annotation elsewhere and the admin port in the Service', () => {
    const objects = copy();
    container(objects, 'gateway').readinessProbe!.httpGet!.port = 'http';
    deployment(objects, 'gateway').spec!.template!.metadata!.annotations!['prometheus.io/port'] = '4000';
    byName<Service>(objects, 'Service', 'gateway').spec!.ports!.push({ name: 'admin', port: 9090, targetPort: 'admin' });
    expect(checkAdminPort(objects)).toEqual([
      'Deployment/gateway: readinessProbe is not on the admin port',
      'Deployment/gateway: pod annotation prometheus.io/port is 4000, want 9090',
      'Service/gateway: port 9090 exposes the admin listener',
    ]);
  });

  test('the demo subgraphs pass their error messages through (written for clients)', () => {
    const { subgraphs } = subgraphsFromResources(ofKind(base, 'Subgraph'), { namespaces: ['shop'], configured: new Set() });
    expect(Object.fromEntries(subgraphs.map((s) => [s.name, s.errors]))).toEqual({
      customers: 'passthrough',
      invoices: 'passthrough',
    });
  });
});

describe('gateway HorizontalPodAutoscaler', () => {
  test('scales the gateway Deployment on CPU from its 2 replicas, and the gateway requests CPU', () => {
    expect(checkAutoscaler(base)).toEqual([]);
  });

  test('the check reports another target, a minimum at the PDB, no CPU target and no CPU request', () => {
    type Hpa = K8sObject & { spec: { scaleTargetRef: { name: string }; minReplicas: number; metrics: unknown[] } };
    const objects = copy();
    const hpa = byName<Hpa>(objects, 'HorizontalPodAutoscaler', 'gateway');
    hpa.spec.minReplicas = 1;
    hpa.spec.metrics = [];
    delete container(objects, 'gateway').resources!.requests!.cpu;
    expect(checkAutoscaler(objects)).toEqual([
      "HorizontalPodAutoscaler/gateway: minReplicas 1, want the Deployment's replicas 2",
      'HorizontalPodAutoscaler/gateway: minReplicas 1 leaves no pod to drain past the PDB (minAvailable 1)',
      'HorizontalPodAutoscaler/gateway: no CPU utilization target (1-100%)',
      "Deployment/gateway container gateway: no CPU request for the HPA's utilization",
    ]);
    hpa.spec.scaleTargetRef.name = 'customers';
    expect(checkAutoscaler(objects)).toEqual([
      'HorizontalPodAutoscaler/gateway: scaleTargetRef apps/v1 Deployment/customers is not the gateway Deployment',
    ]);
  });
});

describe('gateway RBAC', () => {
  type RoleObject = K8sObject & { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };
  type Binding = K8sObject & { subjects: { kind: string; name: string; namespace?: string }[]; roleRef: { name: string } };

  test('the Role reads what the source watches and writes only Subgraph status, Events and its Lease, bound to the gateway ServiceAccount', () => {
    expect(checkRbac(base)).toEqual([]);
    const role = ofKind<RoleObject>(base, 'Role')[0]!;
    const writes = role.rules.filter((r) => r.verbs.some((v) => !['get', 'list', 'watch'].includes(v)));
    expect(writes.flatMap((r) => r.resources).sort()).toEqual(['events', 'leases', 'leases', 'subgraphs/status']);
    expect(role.rules.flatMap((r) => r.verbs)).not.toContain('delete');
    const binding = ofKind<Binding>(base, 'RoleBinding')[0]!;
    expect(binding.roleRef.name).toBe(role.metadata?.name);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'gateway', namespace: 'shop' }]);
  });

  test('the check reports an extra verb, an extra resource and a binding to another account', () => {
    const objects = copy();
    const role = ofKind<RoleObject>(objects, 'Role')[0]!;
    role.rules[0]!.verbs.push('delete');
    role.rules[2]!.resources.push('secrets');
    role.rules[2]!.verbs.push('update');
    ofKind<Binding>(objects, 'RoleBinding')[0]!.subjects[0]!.name = 'default';
    const problems = checkRbac(objects);
    expect(problems).toEqual([
      expect.stringMatching(/^Role\/gateway: grants \[.*\], want exactly \[.*\]$/),
      '0 RoleBindings bind ServiceAccount gateway, want 1',
      'RoleBinding/gateway: binds more than the gateway ServiceAccount',
    ]);
    const granted = problems[0]!.slice(0, problems[0]!.indexOf('], want'));
    expect(granted).toContain('apps/deployments: delete get list watch');
    expect(granted).toContain('affordance-gateway.io/secrets: get list update watch');
    expect(granted).toContain('affordance-gateway.io/subgraphs: get list update watch');
    // A lease rule without its resourceNames would let the gateway renew any Lease.
    const unnamed = copy();
    delete (ofKind<RoleObject>(unnamed, 'Role')[0]!.rules.at(-1) as { resourceNames?: string[] }).resourceNames;
    expect(checkRbac(unnamed)).toEqual([expect.stringMatching(/coordination\.k8s\.io\/leases: create get update,/)]);
  });
});

describe('gateway ConfigMap', () => {
  const withConfig = (mutate: (text: string) => string): K8sObject[] => {
    const objects = copy();
    const cm = byName<K8sObject & { data: Record<string, string> }>(objects, 'ConfigMap', 'gateway-config');
    cm.data['config.yaml'] = mutate(cm.data['config.yaml']!);
    return objects;
  };

  test("config.yaml passes the gateway's own validateConfig and matches the manifests", () => {
    expect(checkGatewayConfig(base)).toEqual([]);
  });

  test('the check reports a key the schema does not know (through ConfigError)', () => {
    const problems = checkGatewayConfig(withConfig((t) => t.replace('endpointSlices:', 'endpointSlice:')));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/invalid configuration \(ConfigMap gateway-config config\.yaml\)/);
    expect(problems[0]).toMatch(/endpointSlice/);
  });

  test('the check reports subgraphs defined in the config file, and the Lease the Role does not name', () => {
    const objects = withConfig(
      (t) =>
        t.replace('name: affordance-gateway-status', 'name: other-lease') +
        'subgraphs:\n  customers:\n    url: http://customers.shop.svc.cluster.local:4001/graphql\n    kubernetes: { deployments: [customers] }\n',
    );
    expect(checkGatewayConfig(objects)).toEqual([
      'gateway config: the Lease is other-lease, want affordance-gateway-status (the Role names it)',
      'gateway config: defines subgraphs customers; declare them as Subgraph resources',
    ]);
  });
});

describe('Subgraph resources and their CRD', () => {
  type SubgraphObject = K8sObject & { spec: Record<string, any> };
  const subgraph = (objects: K8sObject[], name: string) => byName<SubgraphObject>(objects, 'Subgraph', name);

  test('the CRD and the demo Subgraphs, as the gateway reads them, match the manifests', () => {
    expect(checkSubgraphs(base)).toEqual([]);
    const postgres = { name: 'postgres', kubernetes: { statefulSets: ['postgres'] } };
    expect(subgraph(base, 'invoices').spec.backends).toEqual([
      { name: 'invoices-service', kubernetes: { deployments: ['invoices-service'], service: 'invoices-service' } },
      postgres,
    ]);
    expect(subgraph(base, 'customers').spec.backends).toEqual([postgres]);
  });

  test('the check reports a wrong port, a missing Deployment, a spec the gateway refuses and a missing subgraph', () => {
    const objects = copy();
    subgraph(objects, 'customers').spec.service.port = 4000;
    subgraph(objects, 'invoices').spec.kubernetes.deployments = ['invoice'];
    expect(checkSubgraphs(objects)).toEqual([
      'Subgraph/customers: URL port 4000 is not port 4001 of Service/customers',
      'Subgraph/invoices: needs Deployments [invoice, invoices-service], want [invoices, invoices-service]',
      'Subgraph/invoices: needs Deployment invoice, which is not defined',
    ]);
    const refused = copy();
    subgraph(refused, 'customers').spec.url = 'ftp://customers/graphql';
    expect(checkSubgraphs(refused)).toEqual([
      expect.stringMatching(/^Subgraph\/shop\/customers: .*"invalid".*spec\.url: must be an http:\/\/ or https:\/\/ URL/),
      'Subgraph resources declare [invoices], want [customers, invoices]',
    ]);
  });

  test('the check reports a CRD without the status subresource or the printer columns', () => {
    const objects = copy();
    const crd = byName<K8sObject & { spec: { versions: Record<string, any>[] } }>(
      objects,
      'CustomResourceDefinition',
      'subgraphs.affordance-gateway.io',
    );
    delete crd.spec.versions[0]!.subresources;
    crd.spec.versions[0]!.additionalPrinterColumns.splice(2, 1);
    expect(checkSubgraphs(objects)).toEqual([
      'CustomResourceDefinition: no status subresource',
      'CustomResourceDefinition: printer columns [Available, Composed, Age], want [Available, Composed, Reason, Age]',
    ]);
  });
});

describe('PostgreSQL (k8s/base/postgres.yaml)', () => {
  const statefulSet = (objects: K8sObject[]) => byName<Deployment>(objects, 'StatefulSet', 'postgres');
  const env = (c: ReturnType<typeof container>, name: string) => c.env!.find((e) => e.name === name)!;

  test('a StatefulSet with a volume claim, ready by pg_isready; the services reach it with the generated password', () => {
    expect(checkPostgres(base)).toEqual([]);
    expect(checkPostgresSecret(readKustomization(BASE), readFileSync(join(ROOT, '.gitignore'), 'utf8'))).toEqual([]);
  });

  test('the check reports a literal password, data off the claim and a service not pointed at the Service', () => {
    const objects = copy();
    const db = statefulSet(objects).spec!.template!.spec!.containers![0]!;
    env(db, 'POSTGRES_PASSWORD').value = 'hunter2';
    delete env(db, 'POSTGRES_PASSWORD').valueFrom;
    env(db, 'PGDATA').value = '/tmp/pgdata';
    env(container(objects, 'customers'), 'DATABASE_URL').value = 'postgres://shop:pw@db:5432/shop';
    delete env(container(objects, 'invoices-service'), 'PGPASSWORD').valueFrom;
    expect(checkPostgres(objects)).toEqual([
      'StatefulSet/postgres: PGDATA is not on a volume claim',
      'StatefulSet/postgres: POSTGRES_PASSWORD is not from Secret postgres-credentials',
      'StatefulSet/postgres: env POSTGRES_PASSWORD is a literal password',
      `Deployment/customers: DATABASE_URL postgres://shop:pw@db:5432/shop, want postgres://shop@postgres.shop.svc.cluster.local:5432/shop`,
      'Deployment/invoices-service: PGPASSWORD is not from Secret postgres-credentials',
    ]);
  });

  test('the Secret check reports literals and an env file git would commit', () => {
    const k = structuredClone(readKustomization(BASE));
    k.secretGenerator![0]!.literals = ['POSTGRES_PASSWORD=x'];
    expect(checkPostgresSecret(k, 'node_modules/\n')).toEqual([
      'base kustomization: secretGenerator postgres-credentials must read only envs [postgres.env]',
      '.gitignore: k8s/base/postgres.env is not ignored',
    ]);
  });
});

describe('minikube overlay', () => {
  test('patches the gateway Service to NodePort 30400', () => {
    expect(checkNodePortPatch(base, overlayPatches)).toEqual([]);
  });

  test('the check reports a ClusterIP patch and a port entry kustomize would not merge', () => {
    const patches = structuredClone(overlayPatches) as Service[];
    patches[0]!.spec!.type = 'ClusterIP';
    delete patches[0]!.spec!.ports![0]!.protocol;
    expect(checkNodePortPatch(base, patches)).toEqual([
      'overlay: Service/gateway type is not NodePort',
      'overlay: nodePort entry must repeat the base port protocol (kustomize merges ports on port+protocol)',
    ]);
    expect(checkNodePortPatch(base, [])).toEqual(['overlay: no patch of Service/gateway']);
  });

  // kubectl's built-in kustomize renders the overlay exactly as `kubectl apply -k` would.
  (kubectl ? test : test.skip)('renders with kubectl kustomize: checks hold, NodePort set, part-of everywhere', () => {
    const rendered = render('minikube');
    expect(checkObjects(rendered)).toEqual([]);
    const svc = byName<Service>(rendered, 'Service', 'gateway');
    expect(svc.spec?.type).toBe('NodePort');
    expect(svc.spec?.ports).toEqual([expect.objectContaining({ port: 4000, nodePort: GATEWAY_NODE_PORT, targetPort: 'http' })]);
    for (const o of rendered) expect([o.kind, o.metadata?.labels]).toEqual([o.kind, expect.objectContaining(PART_OF)]);
    for (const d of ofKind<Deployment>(rendered, 'Deployment')) {
      expect(d.spec?.template?.metadata?.labels).toEqual(expect.objectContaining(PART_OF));
      // Selectors stay as written: they are immutable on a Deployment.
      expect(Object.keys(d.spec?.selector?.matchLabels ?? {})).toEqual(['app.kubernetes.io/name']);
    }
  });
});

describe('redis component (k8s/components/redis, k8s/overlays/minikube-redis)', () => {
  const component = readResources(REDIS_COMPONENT);
  const patch = parseYamlDocuments(readFileSync(join(REDIS_COMPONENT, 'gateway-redis.yaml'), 'utf8'), 'gateway-redis.yaml');
  /** The base with the component applied by hand: its objects, and its env var on the gateway. */
  const withComponent = (): K8sObject[] => {
    const objects = [...copy(), ...structuredClone(component)];
    const env = (patch[0] as Deployment).spec!.template!.spec!.containers![0]!.env!;
    container(objects, 'gateway').env!.push(...structuredClone(env));
    return objects;
  };

  test('Redis passes the container checks (a pinned official image), and the gateway is pointed at it', () => {
    const objects = withComponent();
    expect(checkContainers(objects)).toEqual([]);
    expect(checkSelectors(objects)).toEqual([]);
    expect(checkNamespaces(objects)).toEqual([]);
    expect(checkRedisComponent(objects)).toEqual([]);
    expect(container(objects, 'redis').image).toMatch(/^redis:7\.2/);
  });

  test('the check reports an unpinned image and a URL that is not the Service', () => {
    const objects = withComponent();
    container(objects, 'redis').image = 'redis:latest';
    container(objects, 'gateway').env!.find((e) => e.name === REDIS_URL_ENV)!.value = 'redis://cache:6379';
    expect(checkContainers(objects)).toEqual([
      expect.stringMatching(/^Deployment\/redis container redis: image redis:latest is not pinned/),
    ]);
    expect(checkRedisComponent(objects)).toEqual([`Deployment/gateway: ${REDIS_URL_ENV} redis://cache:6379 is not Service/redis`]);
    expect(checkRedisComponent(copy())).toEqual(['no Deployment and Service redis']);
  });

  (kubectl ? test : test.skip)('the overlay renders with kubectl kustomize: the minikube overlay, plus Redis, all checks hold', () => {
    const rendered = render('minikube-redis');
    expect(checkObjects(rendered)).toEqual([]);
    expect(checkRedisComponent(rendered)).toEqual([]);
    expect(byName<Service>(rendered, 'Service', 'gateway').spec?.type).toBe('NodePort');
    // The patch adds its variable beside NODE_OPTIONS.
    expect(container(rendered, 'gateway').env!.map((e) => e.name).sort()).toEqual(['AG__LIMITS__RATELIMIT__REDIS__URL', 'NODE_OPTIONS']);
    for (const o of rendered) expect([o.kind, o.metadata?.labels]).toEqual([o.kind, expect.objectContaining(PART_OF)]);
  });
});

describe('Dockerfile', () => {
  test('is multi-stage, non-root, with the ENTRYPOINT into dist/src/cli/main.js', () => {
    expect(checkDockerfile(dockerfile)).toEqual([]);
  });

  test('copies from the context only paths that exist and that .dockerignore lets through', () => {
    const sources = contextCopies(dockerfile);
    expect(sources).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'protos', 'src', 'subgraphs']),
    );
    expect(sources.filter((source) => !existsSync(join(ROOT, source)))).toEqual([]);
    expect(checkDockerignore(dockerignore, sources)).toEqual([]);
  });

  test('the checks report a single stage, a root user, a shell-form ENTRYPOINT and a context leak', () => {
    const broken = [
      'FROM node:20-bookworm-slim',
      'WORKDIR /app',
      'COPY . .',
      'RUN npm ci && npm run build',
      'USER root',
      'ENTRYPOINT node dist/src/cli/main.js',
    ].join('\n');
    expect(checkDockerfile(broken)).toEqual([
      'Dockerfile: 1 FROM, want a multi-stage build',
      'Dockerfile: protos/ is not copied to dist/protos',
      'Dockerfile: no stage runs npm ci --omit=dev',
      'Dockerfile: the runtime stage runs commands (keep it COPY-only)',
      'Dockerfile: runtime does not copy node_modules from a stage',
      'Dockerfile: runtime does not copy dist from a stage',
      'Dockerfile: runtime lacks package.json ("type": "module" makes dist/*.js ES modules)',
      'Dockerfile: runtime USER is root, want a numeric uid',
      'Dockerfile: ENTRYPOINT is "node dist/src/cli/main.js", want exec form ["node", "dist/src/cli/main.js"]',
    ]);
    expect(checkDockerfile(dockerfile.replace('USER 1000:1000', 'USER 0'))).toEqual(['Dockerfile: runtime USER is root']);
    expect(checkDockerignore('src\n*.json\n', ['src', 'package.json'])).toEqual([
      '.dockerignore: does not exclude node_modules',
      '.dockerignore: does not exclude dist',
      '.dockerignore: does not exclude .git',
      '.dockerignore: excludes src, which the build needs',
      '.dockerignore: excludes package.json, which the build needs',
    ]);
  });
});
