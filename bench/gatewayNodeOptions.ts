import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** Where the gateway's Deployment is, relative to the repository root. */
export const GATEWAY_DEPLOYMENT = 'k8s/base/gateway.yaml';

interface DeploymentLike {
  kind?: string;
  metadata?: { name?: string };
  spec?: { template?: { spec?: { containers?: { name?: string; env?: { name: string; value?: string }[] }[] } } };
}

/**
 * The `NODE_OPTIONS` the gateway container gets in its Deployment (the V8 heap sizes it
 * runs with). The benchmark runs its gateway with exactly this value, read from there, so
 * that it measures the gateway as the Deployment runs it and no flag is tuned for the
 * benchmark alone. Throws if the Deployment does not set it.
 */
export function gatewayNodeOptions(root: string): string {
  const file = join(root, GATEWAY_DEPLOYMENT);
  const deployment = parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => doc.toJS() as DeploymentLike | null)
    .find((o) => o?.kind === 'Deployment' && o.metadata?.name === 'gateway');
  const container = deployment?.spec?.template?.spec?.containers?.find((c) => c.name === 'gateway');
  const value = container?.env?.find((e) => e.name === 'NODE_OPTIONS')?.value;
  if (!value) throw new Error(`${GATEWAY_DEPLOYMENT}: the gateway container sets no NODE_OPTIONS`);
  return value;
}
