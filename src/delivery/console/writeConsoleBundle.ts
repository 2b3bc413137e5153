/**
 * The last step of `npm run build` (`node dist/src/delivery/console/writeConsoleBundle.js`):
 * bundles the console's browser script into dist/, so that the image, which has no esbuild,
 * serves it as built.
 */
import { writeFileSync } from 'node:fs';
import { bundleConsoleScript } from './bundleConsoleScript.js';
import { CONSOLE_BUNDLE_FILE } from './consoleScript.js';

if (!import.meta.url.endsWith('.js')) {
  throw new Error(
    'run the compiled writeConsoleBundle.js (npm run build); from the sources the console bundles itself',
  );
}
writeFileSync(CONSOLE_BUNDLE_FILE, bundleConsoleScript());
process.stdout.write(`console script bundled into ${CONSOLE_BUNDLE_FILE}\n`);
