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
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { silentLogger } from '../../src/platform/logger.js';
import { ResilientInformer, type ResilientInformerOptions } from '../../src/sources/kubernetes/resilientInformer.js';

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
 * Resolves with the first non-undefined value of `probe`, asked every 100 ms (an API
 * object's state has no event to await here), or rejects after `timeoutMs` naming `what`.
 */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`not within ${timeoutMs} ms: ${what}${last ? ` (${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Can the identity behind `api` do this? (SelfSubjectAccessReview) `resource` may name a
 * subresource as RBAC rules do (`subgraphs/status`); `name` asks about one object.
 */
export async function can(
  api: Apis,
  verb: string,
  resource: string,
  group: string,
  namespace: string,
  name?: string,
): Promise<boolean> {
  const [plural, subresource] = resource.split('/');
  const review = await api.authorization.createSelfSubjectAccessReview({
    body: { spec: { resourceAttributes: { verb, resource: plural, subresource, group, namespace, name } } },
  });
  return review.status?.allowed === true;
}

/**
 * An informer for a test helper: the gateway's own resilient informer (restarted with
 * backoff through API server restarts, its cache kept), quick to retry, silent.
 */
export function follow<T extends KubernetesObject>(
  options: Pick<ResilientInformerOptions<T>, 'kubeConfig' | 'path' | 'list' | 'labelSelector' | 'onChange'>,
): ResilientInformer<T> {
  return new ResilientInformer<T>({
    resource: options.path,
    watchdogMs: 300_000,
    initialBackoffMs: 100,
    maxBackoffMs: 1000,
    logger: silentLogger,
    ...options,
  });
}
