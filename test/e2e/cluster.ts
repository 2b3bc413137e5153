import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import {
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  KubernetesObjectApi,
  type KubeConfig,
  type KubernetesObject,
  type V1DeploymentStatus,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';

const HARNESS = resolve('test/kube-harness/bin/kube-harness');

/** `kustomize build DIR` through the harness binary (the library kubectl apply -k uses). */
export function kustomizeBuild(dir: string): KubernetesObject[] {
  const build = spawnSync(HARNESS, ['kustomize', dir], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`kustomize build ${dir} failed: ${build.stderr}`);
  return parseAllDocuments(build.stdout).map((doc) => doc.toJS() as KubernetesObject);
}

/** Typed API clients over one client configuration. */
export function apis(kc: KubeConfig) {
  return {
    objects: KubernetesObjectApi.makeApiClient(kc),
    apps: kc.makeApiClient(AppsV1Api),
    core: kc.makeApiClient(CoreV1Api),
    discovery: kc.makeApiClient(DiscoveryV1Api),
    authorization: kc.makeApiClient(AuthorizationV1Api),
  };
}

export type Apis = ReturnType<typeof apis>;

/**
 * Writes a Deployment's status through the status subresource, as the deployment
 * controller would (none runs here). `availableReplicas: undefined` omits the field,
 * as the API does for 0.
 */
export async function writeStatus(
  api: Apis,
  namespace: string,
  name: string,
  status: V1DeploymentStatus,
): Promise<void> {
  const current = await api.apps.readNamespacedDeployment({ name, namespace });
  // The API refuses more available than ready replicas; the controller keeps them in step.
  current.status = { readyReplicas: status.availableReplicas, ...status };
  await api.apps.replaceNamespacedDeploymentStatus({ name, namespace, body: current });
}

/** Sets spec.replicas (a `kubectl scale`). */
export async function scale(api: Apis, namespace: string, name: string, replicas: number): Promise<void> {
  const current = await api.apps.readNamespacedDeployment({ name, namespace });
  current.spec!.replicas = replicas;
  await api.apps.replaceNamespacedDeployment({ name, namespace, body: current });
}

/** An EndpointSlice for a Service, with one endpoint per entry of `ready` (undefined: condition unset). */
export async function writeEndpoints(
  api: Apis,
  namespace: string,
  service: string,
  ready: (boolean | undefined)[],
): Promise<void> {
  const name = `${service}-e2e`;
  const body = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    endpoints: ready.map((r, i) => ({
      addresses: [`10.0.0.${i + 1}`],
      conditions: r === undefined ? {} : { ready: r },
    })),
    ports: [{ port: 4000, protocol: 'TCP', name: 'http' }],
  };
  try {
    const current = await api.discovery.readNamespacedEndpointSlice({ name, namespace });
    await api.discovery.replaceNamespacedEndpointSlice({
      name,
      namespace,
      body: { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata?.resourceVersion } },
    });
  } catch (error) {
    if ((error as { code?: number }).code !== 404) throw error;
    await api.discovery.createNamespacedEndpointSlice({ namespace, body });
  }
}

/** Can the identity behind `api` do this? (SelfSubjectAccessReview) */
export async function can(
  api: Apis,
  verb: string,
  resource: string,
  group: string,
  namespace: string,
): Promise<boolean> {
  const review = await api.authorization.createSelfSubjectAccessReview({
    body: { spec: { resourceAttributes: { verb, resource, group, namespace } } },
  });
  return review.status?.allowed === true;
}
