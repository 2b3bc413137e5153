import { existsSync, readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface Connection {
  readonly kubeConfig: KubeConfig;
  /** Namespace of the pod's service account, or of the kubeconfig context. */
  readonly defaultNamespace: string;
  /** "in-cluster service account" or "kubeconfig context <name>", for logs. */
  readonly description: string;
}

/** No usable connection to a cluster; the message says what to fix. */
export class KubernetesConnectionError extends Error {
  override readonly name = 'KubernetesConnectionError';
}

/**
 * In a pod (KUBERNETES_SERVICE_HOST set, no KUBECONFIG given) the service account;
 * otherwise KUBECONFIG or ~/.kube/config, with an optional context such as "minikube".
 */
export function connect(options: { context?: string; env?: NodeJS.ProcessEnv } = {}): Connection {
  const env = options.env ?? process.env;
  const kubeConfig = new KubeConfig();
  if (env.KUBERNETES_SERVICE_HOST && !env.KUBECONFIG && existsSync(`${SERVICE_ACCOUNT_DIR}/token`)) {
    kubeConfig.loadFromCluster();
    const namespace = readFileSync(`${SERVICE_ACCOUNT_DIR}/namespace`, 'utf8').trim();
    return { kubeConfig, defaultNamespace: namespace || 'default', description: 'in-cluster service account' };
  }
  try {
    kubeConfig.loadFromDefault();
  } catch (error) {
    throw new KubernetesConnectionError(
      `cannot read the kubeconfig (KUBECONFIG or ~/.kube/config): ${(error as Error).message}`,
    );
  }
  if (options.context) {
    if (!kubeConfig.getContextObject(options.context)) {
      const known = kubeConfig.getContexts().map((c) => c.name);
      throw new KubernetesConnectionError(
        `kubeconfig has no context "${options.context}" (it has: ${known.join(', ') || 'none'}); ` +
          'fix availability.kubernetes.context',
      );
    }
    kubeConfig.setCurrentContext(options.context);
  }
  const context = kubeConfig.getContextObject(kubeConfig.getCurrentContext());
  if (!kubeConfig.getCurrentCluster()) {
    throw new KubernetesConnectionError(
      'no Kubernetes cluster configured: set KUBECONFIG, create ~/.kube/config, or run inside a pod',
    );
  }
  return {
    kubeConfig,
    defaultNamespace: context?.namespace ?? 'default',
    description: `kubeconfig context ${kubeConfig.getCurrentContext()}`,
  };
}
