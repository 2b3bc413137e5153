import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleConsoleScript } from './bundleConsoleScript.js';

/** Where `npm run build` writes the bundled script: next to this module in dist/ (never under src/). */
export const CONSOLE_BUNDLE_FILE = fileURLToPath(new URL('./console.bundle.js', import.meta.url));

const compiled = import.meta.url.endsWith('.js');
let script: string | undefined;

/**
 * The console's browser script (./browser/*.ts, bundled). The compiled gateway (dist/, the
 * image) reads the bundle `npm run build` wrote; from the sources (tsx, jest) it is bundled
 * in memory with esbuild on first use, as is a compiled tree built without that step.
 */
export function consoleScript(): string {
  script ??=
    compiled && existsSync(CONSOLE_BUNDLE_FILE) ? readFileSync(CONSOLE_BUNDLE_FILE, 'utf8') : bundleConsoleScript();
  return script;
}
