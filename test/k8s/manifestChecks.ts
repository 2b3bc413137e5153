/**
 * Checks over the parsed k8s/ manifests, the Dockerfile and .dockerignore. Each check
 * returns a list of problems (empty = fine), so a test can show it on the real files and
 * show that it fails on a broken copy.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { applyEnvOverrides, validateConfig } from '../../src/config/load.js';
import type { GatewayConfig } from '../../src/config/schema.js';
import { SUBGRAPH_RESOURCE, type SubgraphResource } from '../../src/sources/kubernetes/subgraphResource.js';
import { subgraphsFromResources } from '../../src/sources/kubernetes/subgraphResources.js';

// ---------------------------------------------------------------------------
// What the manifests must say (from the deployment brief)

export const NAMESPACE = 'shop';
export const IMAGE = 'affordance-gateway:dev';
export const PART_OF = { 'app.kubernetes.io/part-of': 'affordance-gateway' };
export const CONFIG_PATH = '/etc/affordance-gateway/config.yaml';
export const GATEWAY_NODE_PORT = 30400;
/** server.adminPort in the ConfigMap: the gateway's probes and scrapes, never the Service. */
export const GATEWAY_ADMIN_PORT = 9090;
/** Containers of images we do not build (optional components), by Deployment: the image they must pin. */
export const THIRD_PARTY: Record<string, RegExp> = {
  redis: /^redis:\d+\.\d+(\.\d+)?(-alpine)?$/,
  postgres: /^postgres:\d+\.\d+(-alpine)?$/,
};
/** The Secret kustomize generates for PostgreSQL, from the git-ignored env file beside the base kustomization. */
export const POSTGRES_SECRET = { name: 'postgres-credentials', key: 'POSTGRES_PASSWORD', envFile: 'postgres.env' };
/** The services that keep their data in PostgreSQL, and what they connect to. */
export const DATABASE_CLIENTS = ['customers', 'invoices-service'];
export const DATABASE_URL = 'postgres://shop@postgres.shop.svc.cluster.local:5432/shop';
/** The env override that points the gateway at the shared rate limit's Redis (k8s/components/redis). */
export const REDIS_URL_ENV = 'AG__LIMITS__RATELIMIT__REDIS__URL';

export interface ComponentSpec {
  replicas: number;
  /** The port the component listens on (gRPC for invoices-service). */
  port: number;
  grpc: boolean;
}
export const COMPONENTS: Record<string, ComponentSpec> = {
  customers: { replicas: 3, port: 4001, grpc: false },
  'invoices-service': { replicas: 3, port: 50051, grpc: true },
  invoices: { replicas: 3, port: 4002, grpc: false },
  gateway: { replicas: 2, port: 4000, grpc: false },
};
const CLI_SUBCOMMANDS = new Set(['gateway', 'customers', 'invoices', 'invoices-service']);
/** The Lease the gateway replicas elect their status writer with (subgraphResources.lease.name). */
export const STATUS_LEASE = 'affordance-gateway-status';
/**
 * Exactly what the gateway's Role may do, by group/resource (and /name where the rule names
 * one): read what the Kubernetes source watches, write Subgraph status, Events and its Lease.
 */
export const ROLE_GRANTS: Record<string, string[]> = {
  'apps/deployments': ['get', 'list', 'watch'],
  'apps/statefulsets': ['get', 'list', 'watch'],
  'discovery.k8s.io/endpointslices': ['get', 'list', 'watch'],
  'affordance-gateway.io/subgraphs': ['get', 'list', 'watch'],
  'affordance-gateway.io/subgraphs/status': ['patch', 'update'],
  'events.k8s.io/events': ['create', 'patch'],
  'coordination.k8s.io/leases': ['create'],
  [`coordination.k8s.io/leases/${STATUS_LEASE}`]: ['get', 'update'],
};
/** The demo's subgraphs, as Subgraph resources: the Service port each is called on, and every Deployment it needs. */
export const SUBGRAPHS: Record<string, { port: number; deployments: string[]; statefulSets: string[]; services: string[] }> = {
  customers: { port: 4001, deployments: ['customers'], statefulSets: ['postgres'], services: ['customers'] },
  invoices: {
    port: 4002,
    deployments: ['invoices', 'invoices-service'],
    statefulSets: ['postgres'],
    services: ['invoices', 'invoices-service'],
  },
};

// ---------------------------------------------------------------------------
// Shapes (only the fields the checks read)

export type Labels = Record<string, string>;
export interface Meta {
  name?: string;
  namespace?: string;
  labels?: Labels;
  annotations?: Record<string, string>;
}
export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: Meta;
  [field: string]: unknown;
}
interface Probe {
  httpGet?: { path?: string; port?: string | number };
  grpc?: { port?: number; service?: string };
  tcpSocket?: unknown;
  exec?: unknown;
}
interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  privileged?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type?: string };
}
interface Container {
  name?: string;
  image?: string;
  imagePullPolicy?: string;
  args?: string[];
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  ports?: { name?: string; containerPort?: number; protocol?: string }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  securityContext?: SecurityContext;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  lifecycle?: { preStop?: { sleep?: { seconds?: number }; exec?: unknown; httpGet?: unknown } };
}
interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  securityContext?: SecurityContext;
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  terminationGracePeriodSeconds?: number;
  volumes?: { name: string; configMap?: { name?: string; items?: { key: string; path: string }[] } }[];
}
export interface Deployment extends K8sObject {
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Labels; matchExpressions?: unknown[] };
    template?: { metadata?: Meta; spec?: PodSpec };
  };
}
interface StatefulSet extends Deployment {
  spec?: Deployment['spec'] & {
    serviceName?: string;
    volumeClaimTemplates?: { metadata?: Meta; spec?: { accessModes?: string[] } }[];
  };
}
interface SecretKeyRef {
  secretKeyRef?: { name?: string; key?: string };
}
export interface Service extends K8sObject {
  spec?: {
    type?: string;
    selector?: Labels;
    ports?: { name?: string; port?: number; targetPort?: string | number; nodePort?: number; protocol?: string }[];
  };
}
interface PodDisruptionBudget extends K8sObject {
  spec?: { minAvailable?: number | string; maxUnavailable?: number | string; selector?: { matchLabels?: Labels } };
}
interface Role extends K8sObject {
  rules?: { apiGroups?: string[]; resources?: string[]; verbs?: string[]; resourceNames?: string[] }[];
}
interface RoleBinding extends K8sObject {
  roleRef?: { apiGroup?: string; kind?: string; name?: string };
  subjects?: { kind?: string; name?: string; namespace?: string }[];
}
interface ConfigMap extends K8sObject {
  data?: Record<string, string>;
}

// ---------------------------------------------------------------------------
// Reading

/** Every YAML document in a file (empty documents dropped); throws on a YAML error. */
export function readYamlDocuments(file: string): K8sObject[] {
  return parseYamlDocuments(readFileSync(file, 'utf8'), file);
}

export function parseYamlDocuments(text: string, origin: string): K8sObject[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length) throw new Error(`${origin}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return [];
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${origin}: a document is not a mapping`);
    return [value as K8sObject];
  });
}

export interface Kustomization {
  namespace?: string;
  resources?: string[];
  patches?: { path?: string; patch?: string; target?: unknown }[];
  labels?: { pairs?: Labels; includeSelectors?: boolean; includeTemplates?: boolean }[];
  commonLabels?: Labels;
  secretGenerator?: { name?: string; envs?: string[]; files?: string[]; literals?: string[] }[];
  [field: string]: unknown;
}

export function readKustomization(dir: string): Kustomization {
  return parseYaml(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization;
}

/** The objects of a kustomization's own resource files (not those of referenced directories). */
export function readResources(dir: string): K8sObject[] {
  const k = readKustomization(dir);
  return (k.resources ?? [])
    .map((entry) => join(dir, entry))
    .filter((path) => existsSync(path) && statSync(path).isFile())
    .flatMap((path) => readYamlDocuments(path));
}

// ---------------------------------------------------------------------------
// Small helpers

const id = (o: K8sObject) => `${o.kind ?? '?'}/${o.metadata?.name ?? '?'}`;
export const ofKind = <T extends K8sObject>(objects: readonly K8sObject[], kind: string): T[] =>
  objects.filter((o) => o.kind === kind) as T[];
const find = <T extends K8sObject>(objects: readonly K8sObject[], kind: string, name: string): T | undefined =>
  ofKind<T>(objects, kind).find((o) => o.metadata?.name === name);
/** True when every pair of `selector` is in `labels` (and the selector is not empty). */
export const selects = (selector: Labels | undefined, labels: Labels | undefined): boolean =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
const podSpec = (d: Deployment): PodSpec => d.spec?.template?.spec ?? {};
const containersOf = (d: Deployment): Container[] => [...(podSpec(d).initContainers ?? []), ...(podSpec(d).containers ?? [])];
const envValue = (c: Container, name: string) => c.env?.find((e) => e.name === name)?.value;

// ---------------------------------------------------------------------------
// Kustomization files

/**
 * Every file a kustomization lists exists, and every YAML file beside it is listed (as a
 * resource or a patch), so nothing is silently left out of `kubectl apply -k`.
 */
export function checkKustomizationFiles(dir: string): string[] {
  const problems: string[] = [];
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) return [`${file}: missing`];
  const k = readKustomization(dir);
  const listed = new Set<string>();
  for (const entry of k.resources ?? []) {
    const path = join(dir, entry);
    if (!existsSync(path)) problems.push(`${file}: resource ${entry} does not exist`);
    else if (statSync(path).isDirectory()) {
      if (!existsSync(join(path, 'kustomization.yaml'))) problems.push(`${file}: resource ${entry} has no kustomization.yaml`);
    } else listed.add(posix.normalize(entry));
  }
  for (const patch of k.patches ?? []) {
    if (!patch.path) continue;
    if (!existsSync(join(dir, patch.path))) problems.push(`${file}: patch ${patch.path} does not exist`);
    listed.add(posix.normalize(patch.path));
  }
  for (const name of readdirSync(dir)) {
    if (!/\.ya?ml$/.test(name) || name === 'kustomization.yaml') continue;
    if (!listed.has(name)) problems.push(`${file}: ${name} is not listed in resources or patches`);
  }
  return problems;
}

/** The base sets namespace shop, the part-of label, and only names files (no generators). */
export function checkBaseKustomization(k: Kustomization): string[] {
  const problems: string[] = [];
  if (k.namespace !== NAMESPACE) problems.push(`base kustomization: namespace is ${k.namespace}, want ${NAMESPACE}`);
  const labelled =
    (k.labels ?? []).some((l) => selects(PART_OF, l.pairs) && l.includeTemplates === true) || selects(PART_OF, k.commonLabels);
  if (!labelled) problems.push('base kustomization: no app.kubernetes.io/part-of: affordance-gateway label (with includeTemplates)');
  return problems;
}

// ---------------------------------------------------------------------------
// Objects

/** Every object is in namespace shop (set in the file too), and the Namespace object exists. */
export function checkNamespaces(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  if (!find(objects, 'Namespace', NAMESPACE)) problems.push(`no Namespace ${NAMESPACE}`);
  for (const o of objects) {
    // Cluster-scoped.
    if (o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition') continue;
    if (o.metadata?.namespace !== NAMESPACE) problems.push(`${id(o)}: namespace is ${o.metadata?.namespace}, want ${NAMESPACE}`);
  }
  return problems;
}

/** Kinds and API versions the cluster accepts as written (no kustomize-only objects). */
export function checkApiVersions(objects: readonly K8sObject[]): string[] {
  const allowed: Record<string, string> = {
    Namespace: 'v1',
    Service: 'v1',
    ServiceAccount: 'v1',
    ConfigMap: 'v1',
    Deployment: 'apps/v1',
    StatefulSet: 'apps/v1',
    // Generated by kustomize (secretGenerator): only in what it renders.
    Secret: 'v1',
    HorizontalPodAutoscaler: 'autoscaling/v2',
    NetworkPolicy: 'networking.k8s.io/v1',
    Role: 'rbac.authorization.k8s.io/v1',
    RoleBinding: 'rbac.authorization.k8s.io/v1',
    PodDisruptionBudget: 'policy/v1',
    CustomResourceDefinition: 'apiextensions.k8s.io/v1',
    [SUBGRAPH_RESOURCE.kind]: SUBGRAPH_RESOURCE.apiVersion,
  };
  return objects.flatMap((o) =>
    o.kind && allowed[o.kind] === o.apiVersion ? [] : [`${id(o)}: unexpected kind/apiVersion ${o.apiVersion} ${o.kind}`],
  );
}

/** The four Deployments exist with their replica counts. */
export function checkReplicas(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(COMPONENTS)) {
    const d = find<Deployment>(objects, 'Deployment', name);
    if (!d) problems.push(`no Deployment ${name}`);
    else if (d.spec?.replicas !== spec.replicas) problems.push(`Deployment/${name}: replicas ${d.spec?.replicas}, want ${spec.replicas}`);
  }
  return problems;
}

/** Deployments and StatefulSets: what runs pods (a StatefulSet's template is a Deployment's). */
const workloads = (objects: readonly K8sObject[]): Deployment[] => [
  ...ofKind<Deployment>(objects, 'Deployment'),
  ...ofKind<Deployment>(objects, 'StatefulSet'),
];

/** Probes, resources, security context, image and args of every container. */
export function checkContainers(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  for (const d of workloads(objects)) {
    const name = d.metadata?.name ?? '?';
    const component = COMPONENTS[name];
    const pod = podSpec(d);
    const containers = containersOf(d);
    if (containers.length === 0) problems.push(`${id(d)}: no containers`);
    const wantToken = name === 'gateway';
    if (pod.automountServiceAccountToken !== wantToken) {
      problems.push(`${id(d)}: automountServiceAccountToken must be ${wantToken}`);
    }
    for (const c of containers) {
      const where = `${id(d)} container ${c.name ?? '?'}`;
      // Probes
      if (!hasHandler(c.readinessProbe)) problems.push(`${where}: no readinessProbe`);
      if (!hasHandler(c.livenessProbe)) problems.push(`${where}: no livenessProbe`);
      const ports = c.ports ?? [];
      const portRef = (ref: string | number | undefined) =>
        ports.some((p) => (typeof ref === 'number' ? p.containerPort === ref : p.name === ref));
      const grpc = component?.grpc ?? ports.some((p) => p.name === 'grpc');
      const thirdParty = THIRD_PARTY[name];
      for (const [kind, probe, path] of [
        ['readinessProbe', c.readinessProbe, '/readyz'],
        ['livenessProbe', c.livenessProbe, '/healthz'],
        ['startupProbe', c.startupProbe, undefined],
      ] as const) {
        if (!probe) continue;
        if (thirdParty) continue;
        if (grpc) {
          if (!probe.grpc) problems.push(`${where}: ${kind} must be a grpc probe`);
          else if (probe.grpc.port !== component?.port || !portRef(probe.grpc.port)) {
            problems.push(`${where}: ${kind} grpc port ${probe.grpc.port} is not the container's gRPC port`);
          }
        } else if (!probe.httpGet) problems.push(`${where}: ${kind} must be an httpGet probe`);
        else {
          if (path && probe.httpGet.path !== path) problems.push(`${where}: ${kind} path ${probe.httpGet.path}, want ${path}`);
          if (!portRef(probe.httpGet.port)) problems.push(`${where}: ${kind} port ${probe.httpGet.port} is not a container port`);
        }
      }
      if (component && !ports.some((p) => p.containerPort === component.port)) {
        problems.push(`${where}: no containerPort ${component.port}`);
      }
      // Resources
      for (const section of ['requests', 'limits'] as const) {
        for (const resource of ['cpu', 'memory']) {
          if (c.resources?.[section]?.[resource] === undefined) problems.push(`${where}: no resources.${section}.${resource}`);
        }
      }
      // Security context: the container's own, over the pod's.
      const sc: SecurityContext = { ...pod.securityContext, ...c.securityContext };
      if (sc.runAsNonRoot !== true) problems.push(`${where}: runAsNonRoot is not true`);
      if (!Number.isInteger(sc.runAsUser) || (sc.runAsUser ?? 0) <= 0) problems.push(`${where}: runAsUser must be a non-zero uid`);
      if (c.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
      if (c.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem is not true`);
      if (sc.privileged) problems.push(`${where}: privileged`);
      if (!c.securityContext?.capabilities?.drop?.includes('ALL')) problems.push(`${where}: capabilities do not drop ALL`);
      if (c.securityContext?.capabilities?.add?.length) problems.push(`${where}: adds capabilities`);
      if (sc.seccompProfile?.type !== 'RuntimeDefault') problems.push(`${where}: seccompProfile is not RuntimeDefault`);
      // Image and command
      if (thirdParty) {
        if (!thirdParty.test(c.image ?? '')) problems.push(`${where}: image ${c.image} is not pinned as ${thirdParty}`);
        if (c.imagePullPolicy !== 'IfNotPresent') problems.push(`${where}: imagePullPolicy ${c.imagePullPolicy}, want IfNotPresent`);
        continue;
      }
      if (c.image !== IMAGE) problems.push(`${where}: image ${c.image}, want ${IMAGE}`);
      if (c.imagePullPolicy !== 'IfNotPresent') problems.push(`${where}: imagePullPolicy ${c.imagePullPolicy}, want IfNotPresent`);
      if (c.command) problems.push(`${where}: sets command; the image's ENTRYPOINT runs the CLI`);
      const sub = c.args?.[0];
      if (!sub || !CLI_SUBCOMMANDS.has(sub) || (component && sub !== name)) {
        problems.push(`${where}: args[0] is ${sub}, want the subcommand ${name}`);
      }
      if (component && name !== 'gateway') {
        if (envValue(c, 'HOST') !== '0.0.0.0') problems.push(`${where}: env HOST must be 0.0.0.0`);
        if (envValue(c, 'PORT') !== undefined && envValue(c, 'PORT') !== String(component.port)) {
          problems.push(`${where}: env PORT ${envValue(c, 'PORT')}, want ${component.port}`);
        }
      }
    }
  }
  return problems;
}

const hasHandler = (p: Probe | undefined) => !!p && !!(p.httpGet ?? p.grpc ?? p.tcpSocket ?? p.exec);

/** Selectors match pod templates: Deployments, Services (and their target ports), the PDB. */
export function checkSelectors(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const deployments = workloads(objects);
  const templateLabels = (d: Deployment) => d.spec?.template?.metadata?.labels;
  const selected = (selector: Labels | undefined, namespace: string | undefined) =>
    deployments.filter((d) => d.metadata?.namespace === namespace && selects(selector, templateLabels(d)));

  for (const d of deployments) {
    const matchLabels = d.spec?.selector?.matchLabels;
    if (!selects(matchLabels, templateLabels(d))) problems.push(`${id(d)}: selector does not match its pod template labels`);
    if (matchLabels?.['app.kubernetes.io/name'] !== d.metadata?.name) {
      problems.push(`${id(d)}: selector app.kubernetes.io/name is not ${d.metadata?.name}`);
    }
  }
  for (const s of ofKind<Service>(objects, 'Service')) {
    const targets = selected(s.spec?.selector, s.metadata?.namespace);
    if (targets.length !== 1) {
      problems.push(`${id(s)}: selector matches ${targets.length} workloads, want exactly 1`);
      continue;
    }
    const ports = containersOf(targets[0]!).flatMap((c) => c.ports ?? []);
    for (const p of s.spec?.ports ?? []) {
      const target = p.targetPort ?? p.port;
      const ok = ports.some((cp) => (typeof target === 'number' ? cp.containerPort === target : cp.name === target));
      if (!ok) problems.push(`${id(s)}: targetPort ${target} is not a port of ${id(targets[0]!)}`);
    }
  }
  for (const pdb of ofKind<PodDisruptionBudget>(objects, 'PodDisruptionBudget')) {
    const targets = selected(pdb.spec?.selector?.matchLabels, pdb.metadata?.namespace);
    if (targets.length !== 1 || targets[0]!.metadata?.name !== 'gateway') {
      problems.push(`${id(pdb)}: selects [${targets.map(id).join(', ')}], want the gateway pods only`);
    }
  }
  return problems;
}

/** Gateway Service, PDB, shutdown behaviour and the config mount. */
export function checkGateway(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const d = find<Deployment>(objects, 'Deployment', 'gateway');
  if (!d) return ['no Deployment gateway'];
  const pod = podSpec(d);
  const c = pod.containers?.[0];
  if (pod.containers?.length !== 1 || !c) return ['Deployment/gateway: want exactly one container'];
  if (pod.serviceAccountName !== 'gateway') problems.push('Deployment/gateway: serviceAccountName is not gateway');
  if (pod.terminationGracePeriodSeconds !== 30) problems.push('Deployment/gateway: terminationGracePeriodSeconds is not 30');
  const sleep = c.lifecycle?.preStop?.sleep?.seconds;
  if (sleep === undefined || sleep < 1 || sleep >= 30) problems.push('Deployment/gateway: no preStop sleep (a few seconds)');
  if (c.lifecycle?.preStop?.exec) problems.push('Deployment/gateway: preStop exec needs a shell the image does not promise');

  const args = c.args ?? [];
  if (args.join(' ') !== `gateway --config ${CONFIG_PATH}`) problems.push(`Deployment/gateway: args ${JSON.stringify(args)}`);
  const mount = c.volumeMounts?.find((m) => m.mountPath === dirname(CONFIG_PATH));
  const volume = pod.volumes?.find((v) => v.name === mount?.name);
  if (!mount || mount.readOnly !== true) problems.push(`Deployment/gateway: no read-only mount at ${dirname(CONFIG_PATH)}`);
  if (volume?.configMap?.name !== 'gateway-config') problems.push('Deployment/gateway: config volume is not ConfigMap gateway-config');
  const items = volume?.configMap?.items;
  if (items && !items.some((i) => i.key === 'config.yaml' && i.path === 'config.yaml')) {
    problems.push('Deployment/gateway: config volume does not project config.yaml');
  }

  const svc = find<Service>(objects, 'Service', 'gateway');
  if (!svc) problems.push('no Service gateway');
  else if (!svc.spec?.ports?.some((p) => p.port === COMPONENTS.gateway!.port)) problems.push('Service/gateway: no port 4000');
  const pdb = find<PodDisruptionBudget>(objects, 'PodDisruptionBudget', 'gateway');
  if (!pdb) problems.push('no PodDisruptionBudget gateway');
  else if (pdb.spec?.minAvailable !== 1) problems.push('PodDisruptionBudget/gateway: minAvailable is not 1');
  return problems;
}

/** The gateway's Role grants exactly ROLE_GRANTS, and is bound to its ServiceAccount. */
export function checkRbac(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  for (const kind of ['ClusterRole', 'ClusterRoleBinding']) {
    for (const o of ofKind(objects, kind)) problems.push(`${id(o)}: cluster-wide RBAC is not needed`);
  }
  if (!find(objects, 'ServiceAccount', 'gateway')) problems.push('no ServiceAccount gateway');
  for (const role of ofKind<Role>(objects, 'Role')) {
    const granted = new Map<string, Set<string>>();
    for (const rule of role.rules ?? []) {
      if (!(rule.verbs ?? []).length) problems.push(`${id(role)}: a rule has no verbs`);
      if ((rule.verbs ?? []).includes('*') || (rule.resources ?? []).includes('*')) problems.push(`${id(role)}: a rule grants *`);
      for (const group of rule.apiGroups ?? []) {
        for (const resource of rule.resources ?? []) {
          for (const name of rule.resourceNames?.length ? rule.resourceNames : ['']) {
            const key = `${group === '' ? 'core' : group}/${resource}${name ? `/${name}` : ''}`;
            const verbs = granted.get(key) ?? new Set<string>();
            for (const verb of rule.verbs ?? []) verbs.add(verb);
            granted.set(key, verbs);
          }
        }
      }
    }
    const show = (grants: [string, Iterable<string>][]) =>
      grants
        .map(([key, verbs]) => `${key}: ${[...verbs].sort().join(' ')}`)
        .sort()
        .join(', ');
    const want = show(Object.entries(ROLE_GRANTS));
    const got = show([...granted]);
    if (want !== got) problems.push(`${id(role)}: grants [${got}], want exactly [${want}]`);
  }
  const bindings = ofKind<RoleBinding>(objects, 'RoleBinding');
  const bound = bindings.filter((b) =>
    b.subjects?.some((s) => s.kind === 'ServiceAccount' && s.name === 'gateway' && s.namespace === NAMESPACE),
  );
  if (bound.length !== 1) problems.push(`${bound.length} RoleBindings bind ServiceAccount gateway, want 1`);
  for (const b of bindings) {
    const others = (b.subjects ?? []).filter((s) => !(s.kind === 'ServiceAccount' && s.name === 'gateway'));
    if (others.length) problems.push(`${id(b)}: binds more than the gateway ServiceAccount`);
    const ref = b.roleRef;
    if (ref?.kind !== 'Role' || ref.apiGroup !== 'rbac.authorization.k8s.io' || !find(objects, 'Role', ref.name ?? '')) {
      problems.push(`${id(b)}: roleRef ${ref?.kind}/${ref?.name} is not a Role defined here`);
    }
  }
  return problems;
}

/** The gateway config in the ConfigMap: valid by the gateway's own schema, and consistent with the manifests. */
export function checkGatewayConfig(objects: readonly K8sObject[]): string[] {
  const cm = find<ConfigMap>(objects, 'ConfigMap', 'gateway-config');
  const text = cm?.data?.['config.yaml'];
  if (text === undefined) return ['ConfigMap/gateway-config: no config.yaml key'];
  let config: GatewayConfig;
  try {
    config = validateConfig(parseYaml(text), 'ConfigMap gateway-config config.yaml');
  } catch (error) {
    return [(error as Error).message];
  }
  const problems: string[] = [];
  if (config.server.host !== '0.0.0.0') problems.push('gateway config: server.host must be 0.0.0.0 in a pod');
  if (config.server.port !== COMPONENTS.gateway!.port) problems.push(`gateway config: server.port ${config.server.port}, want 4000`);
  const k = config.availability.kubernetes;
  if (!config.availability.sources.includes('kubernetes')) problems.push('gateway config: the kubernetes source is off');
  if (k.namespaces?.join() !== NAMESPACE) problems.push(`gateway config: kubernetes.namespaces must be [${NAMESPACE}]`);
  if (!k.endpointSlices) problems.push('gateway config: kubernetes.endpointSlices is off');

  const resources = k.subgraphResources;
  if (!resources) problems.push('gateway config: kubernetes.subgraphResources is off');
  else {
    if (!resources.status) problems.push('gateway config: subgraphResources.status is off');
    if (resources.lease.name !== STATUS_LEASE) problems.push(`gateway config: the Lease is ${resources.lease.name}, want ${STATUS_LEASE} (the Role names it)`);
  }
  // The subgraphs are Subgraph resources; the config file defines none (it would win over them).
  if (Object.keys(config.subgraphs).length) problems.push(`gateway config: defines subgraphs ${Object.keys(config.subgraphs).join(', ')}; declare them as Subgraph resources`);
  return problems;
}

/**
 * The CRD, and the demo's Subgraph resources: each as the gateway reads it (its own parse),
 * calling its Service's port at /graphql, needing exactly the Deployments that run it and
 * what it calls, each of which exists.
 */
export function checkSubgraphs(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const crd = find<K8sObject & { spec?: CrdSpec }>(objects, 'CustomResourceDefinition', `${SUBGRAPH_RESOURCE.plural}.${SUBGRAPH_RESOURCE.group}`);
  if (!crd) problems.push(`no CustomResourceDefinition ${SUBGRAPH_RESOURCE.plural}.${SUBGRAPH_RESOURCE.group}`);
  else {
    const version = crd.spec?.versions?.find((v) => v.name === SUBGRAPH_RESOURCE.version);
    if (crd.spec?.scope !== 'Namespaced') problems.push('CustomResourceDefinition: scope is not Namespaced');
    if (crd.spec?.names?.kind !== SUBGRAPH_RESOURCE.kind) problems.push(`CustomResourceDefinition: kind is not ${SUBGRAPH_RESOURCE.kind}`);
    if (!version?.served || !version.storage) problems.push(`CustomResourceDefinition: ${SUBGRAPH_RESOURCE.version} is not served and stored`);
    if (!version?.subresources?.status) problems.push('CustomResourceDefinition: no status subresource');
    const columns = (version?.additionalPrinterColumns ?? []).map((c) => c.name).join(', ');
    if (columns !== 'Available, Composed, Reason, Age') problems.push(`CustomResourceDefinition: printer columns [${columns}], want [Available, Composed, Reason, Age]`);
  }
  const subgraphs = ofKind<SubgraphResource & K8sObject>(objects, SUBGRAPH_RESOURCE.kind);
  const { subgraphs: declared, uses } = subgraphsFromResources(subgraphs, { namespaces: [NAMESPACE], configured: new Set() });
  for (const [key, use] of uses) if (use.kind !== 'declares') problems.push(`Subgraph/${key}: ${JSON.stringify(use)}`);
  const got = declared.map((d) => d.name).sort().join(', ');
  if (got !== Object.keys(SUBGRAPHS).sort().join(', ')) problems.push(`Subgraph resources declare [${got}], want [${Object.keys(SUBGRAPHS).sort().join(', ')}]`);
  const services = ofKind<Service>(objects, 'Service');
  const deploymentNames = new Set(ofKind(objects, 'Deployment').map((d) => d.metadata?.name));
  const statefulSetNames = new Set(ofKind(objects, 'StatefulSet').map((d) => d.metadata?.name));
  for (const subgraph of declared) {
    const want = SUBGRAPHS[subgraph.name];
    if (!want) continue;
    const url = new URL(subgraph.url);
    const host = url.hostname.replace(new RegExp(`\\.${NAMESPACE}(\\.svc(\\.cluster\\.local)?)?$`), '');
    const svc = services.find((s) => s.metadata?.name === host);
    if (!svc) problems.push(`Subgraph/${subgraph.name}: URL host ${url.hostname} is not a Service in ${NAMESPACE}`);
    else if (!svc.spec?.ports?.some((p) => p.port === want.port) || Number(url.port) !== want.port) {
      problems.push(`Subgraph/${subgraph.name}: URL port ${url.port} is not port ${want.port} of ${id(svc)}`);
    }
    if (url.pathname !== '/graphql') problems.push(`Subgraph/${subgraph.name}: URL path is not /graphql`);
    const needs = subgraph.requirements.deployments.map((d) => d.name);
    if (needs.join() !== want.deployments.join()) problems.push(`Subgraph/${subgraph.name}: needs Deployments [${needs.join(', ')}], want [${want.deployments.join(', ')}]`);
    for (const name of needs) if (!deploymentNames.has(name)) problems.push(`Subgraph/${subgraph.name}: needs Deployment ${name}, which is not defined`);
    const sets = subgraph.requirements.statefulSets.map((d) => d.name);
    if (sets.join() !== want.statefulSets.join()) problems.push(`Subgraph/${subgraph.name}: needs StatefulSets [${sets.join(', ')}], want [${want.statefulSets.join(', ')}]`);
    for (const name of sets) if (!statefulSetNames.has(name)) problems.push(`Subgraph/${subgraph.name}: needs StatefulSet ${name}, which is not defined`);
    const checked = subgraph.requirements.services.map((r) => r.name);
    if (checked.join() !== want.services.join()) problems.push(`Subgraph/${subgraph.name}: checks the endpoints of [${checked.join(', ')}], want [${want.services.join(', ')}]`);
    for (const name of checked) {
      if (!services.some((s) => s.metadata?.name === name)) problems.push(`Subgraph/${subgraph.name}: checks Service ${name}, which is not defined`);
    }
  }
  return [...problems, ...checkInvoicesAddress(objects)];
}

interface CrdSpec {
  scope?: string;
  names?: { kind?: string };
  versions?: { name?: string; served?: boolean; storage?: boolean; subresources?: { status?: unknown }; additionalPrinterColumns?: { name: string }[] }[];
}

/** The invoices subgraph dials the invoices-service Service. */
function checkInvoicesAddress(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const invoices = find<Deployment>(objects, 'Deployment', 'invoices');
  const grpcAddress = invoices && podSpec(invoices).containers?.map((c) => envValue(c, 'INVOICES_GRPC_ADDRESS')).find(Boolean);
  const validAddresses = [`invoices-service:50051`, `invoices-service.${NAMESPACE}:50051`, `invoices-service.${NAMESPACE}.svc.cluster.local:50051`];
  if (!grpcAddress || !validAddresses.includes(grpcAddress)) {
    problems.push(`Deployment/invoices: INVOICES_GRPC_ADDRESS ${grpcAddress} is not the invoices-service Service`);
  }
  return problems;
}

/**
 * The admin listener: `server.adminPort` in the ConfigMap is the gateway container's port
 * `admin`, every probe and the Prometheus annotations use it, and the Service does not.
 */
export function checkAdminPort(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const text = find<ConfigMap>(objects, 'ConfigMap', 'gateway-config')?.data?.['config.yaml'];
  const d = find<Deployment>(objects, 'Deployment', 'gateway');
  const c = d && podSpec(d).containers?.[0];
  if (!text || !d || !c) return ['no gateway ConfigMap or Deployment'];
  const adminPort = (parseYaml(text) as { server?: { adminPort?: number } }).server?.adminPort;
  if (adminPort !== GATEWAY_ADMIN_PORT) problems.push(`gateway config: server.adminPort ${adminPort}, want ${GATEWAY_ADMIN_PORT}`);
  const admin = c.ports?.find((p) => p.name === 'admin');
  if (admin?.containerPort !== adminPort) problems.push(`Deployment/gateway: container port admin is ${admin?.containerPort}, want server.adminPort ${adminPort}`);
  const isAdmin = (port: string | number | undefined) => port === 'admin' || (port !== undefined && port === admin?.containerPort);
  for (const [kind, probe] of [
    ['startupProbe', c.startupProbe],
    ['readinessProbe', c.readinessProbe],
    ['livenessProbe', c.livenessProbe],
  ] as const) {
    if (!probe || !isAdmin(probe.httpGet?.port)) problems.push(`Deployment/gateway: ${kind} is not on the admin port`);
  }
  const annotations = d.spec?.template?.metadata?.annotations ?? {};
  if (annotations['prometheus.io/scrape'] !== 'true') problems.push('Deployment/gateway: pod annotation prometheus.io/scrape is not "true"');
  if (annotations['prometheus.io/port'] !== String(adminPort)) {
    problems.push(`Deployment/gateway: pod annotation prometheus.io/port is ${annotations['prometheus.io/port']}, want ${adminPort}`);
  }
  if (annotations['prometheus.io/path'] !== '/metrics') problems.push('Deployment/gateway: pod annotation prometheus.io/path is not /metrics');
  for (const p of find<Service>(objects, 'Service', 'gateway')?.spec?.ports ?? []) {
    if (isAdmin(p.targetPort) || p.port === adminPort) problems.push(`Service/gateway: port ${p.port} exposes the admin listener`);
  }
  return problems;
}

interface HorizontalPodAutoscaler extends K8sObject {
  spec?: {
    scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string };
    minReplicas?: number;
    maxReplicas?: number;
    metrics?: { type?: string; resource?: { name?: string; target?: { type?: string; averageUtilization?: number } } }[];
  };
}

/**
 * The gateway's HorizontalPodAutoscaler: on the gateway Deployment, by CPU utilization
 * (so the container must request CPU), from its replica count (above the PDB's
 * minAvailable) to more.
 */
export function checkAutoscaler(objects: readonly K8sObject[]): string[] {
  const hpas = ofKind<HorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');
  if (hpas.length !== 1) return [`${hpas.length} HorizontalPodAutoscalers, want 1 for the gateway`];
  const hpa = hpas[0]!;
  const problems: string[] = [];
  const ref = hpa.spec?.scaleTargetRef;
  const d = find<Deployment>(objects, 'Deployment', ref?.name ?? '');
  if (ref?.kind !== 'Deployment' || ref.apiVersion !== 'apps/v1' || ref.name !== 'gateway' || !d) {
    return [`${id(hpa)}: scaleTargetRef ${ref?.apiVersion} ${ref?.kind}/${ref?.name} is not the gateway Deployment`];
  }
  const min = hpa.spec?.minReplicas ?? 1;
  const max = hpa.spec?.maxReplicas ?? 0;
  if (min !== d.spec?.replicas) problems.push(`${id(hpa)}: minReplicas ${min}, want the Deployment's replicas ${d.spec?.replicas}`);
  const pdb = find<PodDisruptionBudget>(objects, 'PodDisruptionBudget', 'gateway');
  if (typeof pdb?.spec?.minAvailable === 'number' && min <= pdb.spec.minAvailable) {
    problems.push(`${id(hpa)}: minReplicas ${min} leaves no pod to drain past the PDB (minAvailable ${pdb.spec.minAvailable})`);
  }
  if (max <= min) problems.push(`${id(hpa)}: maxReplicas ${max} is not above minReplicas ${min}`);
  const cpu = hpa.spec?.metrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
  const utilization = cpu?.resource?.target;
  if (utilization?.type !== 'Utilization' || !(utilization.averageUtilization! > 0 && utilization.averageUtilization! <= 100)) {
    problems.push(`${id(hpa)}: no CPU utilization target (1-100%)`);
  }
  for (const c of containersOf(d)) {
    if (c.resources?.requests?.cpu === undefined) problems.push(`Deployment/gateway container ${c.name}: no CPU request for the HPA's utilization`);
  }
  return problems;
}

/**
 * The redis component: a Service and Deployment `redis`, and the gateway pointed at it
 * by the env override, which the gateway's own config loader accepts.
 */
export function checkRedisComponent(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const svc = find<Service>(objects, 'Service', 'redis');
  if (!svc || !find(objects, 'Deployment', 'redis')) return ['no Deployment and Service redis'];
  const c = find<Deployment>(objects, 'Deployment', 'gateway') && podSpec(find<Deployment>(objects, 'Deployment', 'gateway')!).containers?.[0];
  const url = c && envValue(c, REDIS_URL_ENV);
  if (!url) return [`Deployment/gateway: no env ${REDIS_URL_ENV}`];
  const parsed = new URL(url);
  const host = parsed.hostname.replace(new RegExp(`\\.${NAMESPACE}(\\.svc(\\.cluster\\.local)?)?$`), '');
  if (host !== 'redis' || !svc.spec?.ports?.some((p) => p.port === Number(parsed.port || 6379))) {
    problems.push(`Deployment/gateway: ${REDIS_URL_ENV} ${url} is not Service/redis`);
  }
  if (c.env!.length !== new Set(c.env!.map((e) => e.name)).size) problems.push('Deployment/gateway: an env var is set twice');
  const text = find<ConfigMap>(objects, 'ConfigMap', 'gateway-config')?.data?.['config.yaml'] ?? '';
  try {
    const config = validateConfig(applyEnvOverrides(parseYaml(text), { [REDIS_URL_ENV]: url }), `ConfigMap with ${REDIS_URL_ENV}`);
    if (!config.limits.rateLimit || config.limits.rateLimit.redis?.url !== url) problems.push(`gateway config: ${REDIS_URL_ENV} does not reach limits.rateLimit.redis.url`);
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems;
}

// ---------------------------------------------------------------------------
// PostgreSQL

/**
 * PostgreSQL: one replica of the official image keeping its data on a volume claim, ready
 * by pg_isready, its password from the generated Secret (no literal password anywhere),
 * behind the headless Service that governs it; the services that keep their data there
 * connect to that Service, the password in PGPASSWORD from the same Secret.
 */
export function checkPostgres(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const set = find<StatefulSet>(objects, 'StatefulSet', 'postgres');
  if (!set) return ['no StatefulSet postgres'];
  const svc = find<Service & { spec?: { clusterIP?: string } }>(objects, 'Service', 'postgres');
  if (set.spec?.replicas !== 1) problems.push(`StatefulSet/postgres: replicas ${set.spec?.replicas}, want 1`);
  if (set.spec?.serviceName !== 'postgres' || svc?.spec?.clusterIP !== 'None') {
    problems.push('StatefulSet/postgres: serviceName must be the headless Service postgres');
  }
  const claims = (set.spec?.volumeClaimTemplates ?? []).map((c) => c.metadata?.name);
  const c = podSpec(set).containers?.[0];
  const pgdata = c?.env?.find((e) => e.name === 'PGDATA')?.value ?? '/var/lib/postgresql/data';
  const mounted = c?.volumeMounts?.some((m) => claims.includes(m.name) && pgdata.startsWith(m.mountPath));
  if (!mounted) problems.push('StatefulSet/postgres: PGDATA is not on a volume claim');
  const readiness = (c?.readinessProbe?.exec as { command?: string[] } | undefined)?.command?.[0];
  if (readiness !== 'pg_isready') problems.push('StatefulSet/postgres: readinessProbe is not pg_isready');
  const fromSecret = (container: Container | undefined, name: string) => {
    const ref = (container?.env?.find((e) => e.name === name)?.valueFrom as SecretKeyRef | undefined)?.secretKeyRef;
    // As written, or as kustomize names what it generated (a hash of the content appended).
    return new RegExp(`^${POSTGRES_SECRET.name}(-[a-z0-9]{10})?$`).test(ref?.name ?? '') && ref?.key === POSTGRES_SECRET.key;
  };
  if (!fromSecret(c, 'POSTGRES_PASSWORD')) problems.push(`StatefulSet/postgres: POSTGRES_PASSWORD is not from Secret ${POSTGRES_SECRET.name}`);
  for (const w of workloads(objects)) {
    for (const container of containersOf(w)) {
      for (const e of container.env ?? []) {
        if (/PASSWORD/.test(e.name) && e.value !== undefined) problems.push(`${id(w)}: env ${e.name} is a literal password`);
      }
    }
  }
  for (const name of DATABASE_CLIENTS) {
    const d = find<Deployment>(objects, 'Deployment', name);
    const container = d && podSpec(d).containers?.[0];
    const url = container && envValue(container, 'DATABASE_URL');
    if (url !== DATABASE_URL) problems.push(`Deployment/${name}: DATABASE_URL ${url}, want ${DATABASE_URL}`);
    if (!fromSecret(container, 'PGPASSWORD')) problems.push(`Deployment/${name}: PGPASSWORD is not from Secret ${POSTGRES_SECRET.name}`);
  }
  return problems;
}

/**
 * The base kustomization generates PostgreSQL's Secret from an env file that git ignores
 * (the runbook makes it), never from literals or a committed file.
 */
export function checkPostgresSecret(k: Kustomization, gitignore: string): string[] {
  const problems: string[] = [];
  const generator = k.secretGenerator?.find((g) => g.name === POSTGRES_SECRET.name);
  if (!generator) return [`base kustomization: no secretGenerator ${POSTGRES_SECRET.name}`];
  if (generator.literals?.length || generator.files?.length || generator.envs?.join() !== POSTGRES_SECRET.envFile) {
    problems.push(`base kustomization: secretGenerator ${POSTGRES_SECRET.name} must read only envs [${POSTGRES_SECRET.envFile}]`);
  }
  if (!gitignore.split('\n').some((line) => line.trim() === `k8s/base/${POSTGRES_SECRET.envFile}`)) {
    problems.push(`.gitignore: k8s/base/${POSTGRES_SECRET.envFile} is not ignored`);
  }
  return problems;
}

/** All object checks at once. */
export function checkObjects(objects: readonly K8sObject[]): string[] {
  return [
    ...checkApiVersions(objects),
    ...checkNamespaces(objects),
    ...checkReplicas(objects),
    ...checkContainers(objects),
    ...checkSelectors(objects),
    ...checkGateway(objects),
    ...checkRbac(objects),
    ...checkGatewayConfig(objects),
    ...checkSubgraphs(objects),
    ...checkAdminPort(objects),
    ...checkAutoscaler(objects),
    ...checkPostgres(objects),
  ];
}

// ---------------------------------------------------------------------------
// The minikube overlay

/**
 * The overlay patches the base gateway Service to NodePort 30400. The patch entry must
 * name the base port's `port` and `protocol`: kustomize merges Service ports on both and
 * otherwise drops the nodePort without a word.
 */
export function checkNodePortPatch(base: readonly K8sObject[], patches: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  for (const p of patches) {
    const target = base.find((o) => o.kind === p.kind && o.metadata?.name === p.metadata?.name);
    if (!target) problems.push(`overlay patch ${id(p)}: no such object in the base`);
  }
  const patch = patches.find((o) => o.kind === 'Service' && o.metadata?.name === 'gateway') as Service | undefined;
  const svc = find<Service>(base, 'Service', 'gateway');
  if (!patch) return [...problems, 'overlay: no patch of Service/gateway'];
  if (patch.spec?.type !== 'NodePort') problems.push('overlay: Service/gateway type is not NodePort');
  const entry = patch.spec?.ports?.find((p) => p.nodePort === GATEWAY_NODE_PORT);
  if (!entry) problems.push(`overlay: Service/gateway has no nodePort ${GATEWAY_NODE_PORT}`);
  else {
    const basePort = svc?.spec?.ports?.find((p) => p.port === entry.port);
    if (!basePort) problems.push(`overlay: nodePort entry port ${entry.port} is not a port of the base Service/gateway`);
    else if (entry.protocol !== (basePort.protocol ?? 'TCP') || !entry.protocol) {
      problems.push('overlay: nodePort entry must repeat the base port protocol (kustomize merges ports on port+protocol)');
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Dockerfile

export interface DockerStage {
  from: string;
  name?: string;
  instructions: { keyword: string; args: string }[];
}

/** Splits a Dockerfile into stages of instructions (comments dropped, continuations joined). */
export function parseDockerfile(text: string): DockerStage[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (pending && line.startsWith('#')) continue;
    if (line.endsWith('\\')) pending += `${line.slice(0, -1)} `;
    else {
      lines.push(pending + line);
      pending = '';
    }
  }
  if (pending) lines.push(pending);
  const stages: DockerStage[] = [];
  for (const line of lines) {
    const match = /^(\S+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.trim();
    if (keyword === 'FROM') {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ from: from?.[1] ?? args, name: from?.[2], instructions: [] });
    } else stages.at(-1)?.instructions.push({ keyword, args });
  }
  return stages;
}

/** Multi-stage, Node 20, builds dist with the protos, runtime has prod deps + dist, non-root, exec-form ENTRYPOINT. */
export function checkDockerfile(text: string): string[] {
  const problems: string[] = [];
  const stages = parseDockerfile(text);
  if (stages.length < 2) problems.push(`Dockerfile: ${stages.length} FROM, want a multi-stage build`);
  for (const s of stages) {
    if (!/^node:20([.-]|$)/.test(s.from) && !stages.some((o) => o.name === s.from)) {
      problems.push(`Dockerfile: stage from ${s.from}, want a node:20 image`);
    }
  }
  const runtime = stages.at(-1);
  if (!runtime) return [...problems, 'Dockerfile: no FROM'];
  const all = stages.flatMap((s) => s.instructions);
  const runs = (re: RegExp, within = all) => within.some((i) => i.keyword === 'RUN' && re.test(i.args));
  if (!runs(/\bnpm ci\b(?![^&;]*--omit=dev)/)) problems.push('Dockerfile: no build stage runs npm ci (with dev dependencies)');
  if (!runs(/\bnpm run build\b/)) problems.push('Dockerfile: nothing runs npm run build');
  if (!runs(/\bcp\b[^&;]*\bprotos\/?\S*\s+dist\/protos\b/)) problems.push('Dockerfile: protos/ is not copied to dist/protos');
  if (!runs(/\bnpm ci\b[^&;]*--omit=dev/)) problems.push('Dockerfile: no stage runs npm ci --omit=dev');

  const r = runtime.instructions;
  if (r.some((i) => i.keyword === 'RUN')) problems.push('Dockerfile: the runtime stage runs commands (keep it COPY-only)');
  const copies = r.filter((i) => i.keyword === 'COPY').map((i) => i.args);
  if (!copies.some((a) => /^--from=\S+\s+\S*node_modules\/?\s/.test(a))) problems.push('Dockerfile: runtime does not copy node_modules from a stage');
  if (!copies.some((a) => /^--from=\S+\s+\S*dist\/?\s/.test(a))) problems.push('Dockerfile: runtime does not copy dist from a stage');
  if (!copies.some((a) => /(^|\s)package\.json(\s|$)/.test(a))) {
    problems.push('Dockerfile: runtime lacks package.json ("type": "module" makes dist/*.js ES modules)');
  }
  const users = r.filter((i) => i.keyword === 'USER');
  const user = users.at(-1)?.args;
  const uid = user ? /^(\d+)(?::(\d+))?$/.exec(user) : null;
  if (!uid) problems.push(`Dockerfile: runtime USER is ${user ?? 'unset'}, want a numeric uid`);
  else if (Number(uid[1]) === 0 || uid[2] === '0') problems.push('Dockerfile: runtime USER is root');
  const entrypoints = r.filter((i) => i.keyword === 'ENTRYPOINT');
  let entrypoint: unknown;
  try {
    entrypoint = entrypoints.length ? JSON.parse(entrypoints.at(-1)!.args) : undefined;
  } catch {
    entrypoint = entrypoints.at(-1)?.args;
  }
  if (JSON.stringify(entrypoint) !== JSON.stringify(['node', 'dist/src/cli/main.js'])) {
    problems.push(`Dockerfile: ENTRYPOINT is ${JSON.stringify(entrypoint)}, want exec form ["node", "dist/src/cli/main.js"]`);
  }
  return problems;
}

/** .dockerignore keeps out what the build must not see and lets in what it needs. */
export function checkDockerignore(text: string, needed: readonly string[]): string[] {
  const patterns = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const problems: string[] = [];
  for (const required of ['node_modules', 'dist', '.git']) {
    if (!patterns.some((p) => p.replace(/^\/|\/$/g, '') === required)) problems.push(`.dockerignore: does not exclude ${required}`);
  }
  for (const path of needed) {
    const excluded = patterns.some((p) => !p.startsWith('!') && globMatches(p.replace(/^\/|\/$/g, ''), path));
    const reincluded = patterns.some((p) => p.startsWith('!') && globMatches(p.slice(1).replace(/^\/|\/$/g, ''), path));
    if (excluded && !reincluded) problems.push(`.dockerignore: excludes ${path}, which the build needs`);
  }
  return problems;
}

/** Enough of Docker's matching for the patterns above: `*` within a segment, prefix directories. */
function globMatches(pattern: string, path: string): boolean {
  const body = pattern
    .split(/(\*\*|\*|\?)/)
    .map((part) => {
      if (part === '**') return '.*';
      if (part === '*') return '[^/]*';
      if (part === '?') return '[^/]';
      return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${body}(/.*)?$`).test(path);
}

/** Source paths the Dockerfile COPYs from the build context (not from other stages). */
export function contextCopies(text: string): string[] {
  return parseDockerfile(text)
    .flatMap((s) => s.instructions)
    .filter((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !i.args.startsWith('--from='))
    .flatMap((i) => {
      const parts = i.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      return parts.slice(0, -1).map((p) => p.replace(/^\.\//, '').replace(/\/$/, ''));
    });
}
