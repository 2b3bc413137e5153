/**
 * Prints the frames with the most self time in a V8 CPU profile (`node --cpu-prof`), and
 * the same summed by package, to see where a gateway's time goes.
 * Usage: node dist/bench/profile/topFrames.js <file.cpuprofile> [count]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, count = '30'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file!, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<string, number>();
const byPackage = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const where = url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '');
  const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + delta);
  const pkg = url.includes('node_modules/')
    ? /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)![1]!
    : url.startsWith('node:') || url === ''
      ? functionName.startsWith('(')
        ? functionName
        : 'node internals'
      : url.includes('/dist/')
        ? 'this project'
        : url;
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + delta);
  total += delta;
});
const show = (title: string, map: Map<string, number>) => {
  process.stdout.write(`${title}\n`);
  for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(count))) {
    process.stdout.write(`${((100 * micros) / total).toFixed(1).padStart(5)}%  ${key}\n`);
  }
};
// Inclusive time: a frame counts once per sample whose stack contains it.
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const inclusive = new Map<string, number>();
const frameKey = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '')}:${lineNumber + 1}`;
};
profile.samples.forEach((id, i) => {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) seen.add(frameKey(byId.get(at)!));
  for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
show('self time by frame', self);
show('\nself time by package', byPackage);
show('\ninclusive time by frame', inclusive);
