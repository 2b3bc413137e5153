import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { gatewayNodeOptions } from '../../bench/gatewayNodeOptions.js';
import { ofKind, readResources, type Deployment } from './manifestChecks.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const gateway = ofKind<Deployment>(readResources(join(ROOT, 'k8s/base')), 'Deployment').find(
  (d) => d.metadata?.name === 'gateway',
)!;
const container = gateway.spec!.template!.spec!.containers![0]!;
const nodeOptions = container.env?.find((e) => e.name === 'NODE_OPTIONS')?.value;

const MiB = 2 ** 20;
const bytes = (quantity: string): number => {
  const match = /^(\d+)(Mi|Gi|M|G)?$/.exec(quantity);
  if (!match) throw new Error(`unexpected quantity ${quantity}`);
  const unit = { Mi: MiB, Gi: 1024 * MiB, M: 1e6, G: 1e9 }[match[2] as 'Mi'] ?? 1;
  return Number(match[1]) * unit;
};

describe("the gateway's node flags", () => {
  test('the Deployment sets both heap sizes, so that neither follows the memory of the machine', () => {
    expect(nodeOptions).toMatch(/--max-old-space-size=\d+/);
    expect(nodeOptions).toMatch(/--max-semi-space-size=\d+/);
  });

  test('the benchmark runs its gateway with exactly the Deployment’s NODE_OPTIONS', () => {
    expect(gatewayNodeOptions(ROOT)).toBe(nodeOptions);
  });

  test('Node accepts them in NODE_OPTIONS, and the heap they allow leaves room in the memory limit', () => {
    const limit = execFileSync(process.execPath, ['-p', 'v8.getHeapStatistics().heap_size_limit'], {
      env: { ...process.env, NODE_OPTIONS: nodeOptions },
      encoding: 'utf8',
    });
    // Besides the heap: the node binary and loaded code (~50 MB resident), native memory
    // (~25 MB) and the composition worker while it runs (~30 MB).
    const room = 128 * MiB;
    expect(Number(limit) + room).toBeLessThanOrEqual(bytes(String(container.resources!.limits!.memory)));
  });
});
