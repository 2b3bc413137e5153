import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The code that starts a worker thread on the module `name` beside `importerUrl`: the
 * compiled JavaScript in dist/, or the TypeScript source under tsx or jest, which the
 * worker then loads through tsx's public `tsx/esm/api` (loader flags do not reach a
 * worker's entry point). Pass it to `new Worker(code, { eval: true })`. Undefined when the
 * file is not there (a bundle without it): the caller then does without the worker.
 */
export function workerScript(name: string, importerUrl: string): string | undefined {
  const typescript = importerUrl.endsWith('.ts');
  const entry = new URL(`./${name}.${typescript ? 'ts' : 'js'}`, importerUrl);
  if (!existsSync(fileURLToPath(entry))) return undefined;
  if (!typescript) return `import(${JSON.stringify(entry.href)})`;
  // Resolved from this module, so the worker finds tsx wherever the importer lives.
  const tsx = import.meta.resolve('tsx/esm/api');
  const load = `({ tsImport }) => tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(importerUrl)})`;
  return `import(${JSON.stringify(tsx)}).then(${load})`;
}
