import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter } from 'node:path';
import { buildHarness, Harness } from './harness.js';

const RUNBOOK = 'k8s/README.md';

/** kubectl verbs that act on API objects only: the control plane here runs them as a cluster would. */
const RUNS_HERE = new Set([
  'apply',
  'wait',
  'get',
  'describe',
  'scale',
  'rollout',
  'delete',
  'label',
  'annotate',
  'patch',
]);
/** kubectl verbs that need a kubelet and a container runtime (a pod's ports, logs or processes). */
const NEEDS_CONTAINERS = new Set(['port-forward', 'logs', 'exec', 'attach', 'cp', 'top', 'debug']);

/** Every `kubectl …` command of the runbook, in document order: lines of its sh blocks and inline code. */
function runbookCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const match of markdown.matchAll(/```sh\n([\s\S]*?)```|`(kubectl [^`]+)`/g)) {
    const lines = match[1] !== undefined ? match[1].split('\n') : [match[2]!];
    commands.push(...lines.map((l) => l.trim()).filter((l) => l.startsWith('kubectl ')));
  }
  return commands;
}

/** A `kubectl get … -w` never ends by itself: it is run until it has printed a table of the demo's subgraphs. */
const isWatch = (command: string) => /\s(-w|--watch)(\s|$)/.test(command);

/** Runs a command to its end (a watch: until its output has a customers row, then stops it). */
function run(command: string, path: string): Promise<{ code: number; output: string }> {
  if (!isWatch(command)) {
    return new Promise((resolve) => {
      execFile(
        'sh',
        ['-c', command],
        { env: { ...process.env, PATH: path }, timeout: 120_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
      );
    });
  }
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', `exec ${command}`], { env: { ...process.env, PATH: path } });
    let output = '';
    let done = false;
    const finish = (code: number) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGTERM');
      resolve({ code, output });
    };
    const timer = setTimeout(() => finish(124), 60_000);
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      if (/^NAME\s.*\n(.*\n)*customers\s/m.test(output)) finish(0);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => finish(code ?? 1));
  });
}

/** The verb of a kubectl command line: its first word that is not a flag or a flag's value. */
function verbOf(command: string): string {
  const words = command.split(/\s+/).slice(1);
  for (let i = 0; i < words.length; i++) {
    if (words[i] === '-n' || words[i] === '--namespace' || words[i] === '--context') i++;
    else if (!words[i]!.startsWith('-')) return words[i]!;
  }
  return '';
}

const harnessBuild = buildHarness();
const describeCluster = harnessBuild.ok ? describe : describe.skip;

describeCluster(`the runbook (${RUNBOOK}), run verbatim against the control plane`, () => {
  const harness = new Harness();
  let path: string;
  const commands = runbookCommands(readFileSync(RUNBOOK, 'utf8'));

  beforeAll(async () => {
    await harness.start();
    path = `${harness.kubectlOnPath()}${delimiter}${process.env.PATH}`;
  });
  afterAll(async () => harness.stop());

  test('every kubectl command is one the suite runs or one that needs a container runtime', () => {
    expect(commands.filter((c) => !RUNS_HERE.has(verbOf(c)) && !NEEDS_CONTAINERS.has(verbOf(c)))).toEqual([]);
    expect(commands.filter((c) => RUNS_HERE.has(verbOf(c))).length).toBeGreaterThanOrEqual(10);
  });

  const runnable = commands.filter((c) => RUNS_HERE.has(verbOf(c)));
  test.each(runnable.map((command, i) => [i + 1, command]))('%i. %s', async (_i, command) => {
    const started = performance.now();
    const { code, output } = await run(command, path);
    if (process.env.E2E_LOGS) console.info(`$ ${command}\n${output}`);
    expect({ command, code, output: code === 0 ? '' : output }).toEqual({ command, code: 0, output: '' });
    expect(performance.now() - started).toBeLessThan(120_000);
  });
});
