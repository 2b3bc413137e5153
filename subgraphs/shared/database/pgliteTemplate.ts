import { PGlite } from '@electric-sql/pglite';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

let template: Promise<Blob> | undefined;

/**
 * A freshly initialized PGlite data directory as a tarball, for new databases (in memory,
 * or a new folder): loading it takes a fraction of what `initdb` takes (about a second of
 * CPU against four), which matters for a test suite that starts the demo services dozens
 * of times, and for the first `npm start`. Made once
 * per machine and PGlite version, kept in the temporary directory (written under another
 * name and renamed, so concurrent first uses agree), and read once per process.
 */
export function pgliteTemplate(): Promise<Blob> {
  template ??= load();
  return template;
}

async function load(): Promise<Blob> {
  const file = join(tmpdir(), `affordance-gateway-pglite-${pgliteVersion()}.tar`);
  try {
    return new Blob([readFileSync(file)]);
  } catch {
    const fresh = await PGlite.create();
    try {
      const tarball = await fresh.dumpDataDir('none');
      const partial = `${file}.${process.pid}.partial`;
      writeFileSync(partial, Buffer.from(await tarball.arrayBuffer()));
      renameSync(partial, file);
      return tarball;
    } finally {
      await fresh.close();
    }
  }
}

/** The installed PGlite's version, from its package.json (which its exports do not list). */
function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}
