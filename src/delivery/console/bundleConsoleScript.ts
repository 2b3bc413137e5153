import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';

/** The repository root: this module is in src/delivery/console/, or in dist/src/delivery/console/ when compiled. */
const ROOT = fileURLToPath(new URL(import.meta.url.endsWith('.js') ? '../../../../' : '../../../', import.meta.url));
/** The browser code (./browser/, its own tsconfig with the DOM library), always read from the sources. */
const BROWSER = 'src/delivery/console/browser';

/**
 * Bundles the console's browser code into one script with esbuild, a dev dependency
 * (loaded here, not imported, so that the compiled gateway runs without it). Readable
 * output, no source map: the page inlines it and its CSP allows it by hash. The output is
 * the same from any working directory (esbuild names files relative to `absWorkingDir`).
 */
export function bundleConsoleScript(): string {
  let esbuild: typeof Esbuild;
  try {
    esbuild = createRequire(import.meta.url)('esbuild') as typeof Esbuild;
  } catch (error) {
    throw new Error(
      "cannot bundle the console's script: esbuild (a dev dependency) is not installed; `npm run build` prebuilds it",
      { cause: error },
    );
  }
  const result = esbuild.buildSync({
    absWorkingDir: ROOT,
    entryPoints: [join(BROWSER, 'main.ts')],
    tsconfig: join(BROWSER, 'tsconfig.json'),
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const script = result.outputFiles[0]!.text;
  // Inlined in <script>: a closing tag in it would end the script early.
  if (/<\/script/i.test(script)) throw new Error("the console's script contains </script");
  return script;
}
