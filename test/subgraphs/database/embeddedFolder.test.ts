import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCustomersSubgraph } from '../../../subgraphs/customers/server.js';
import { FolderInUse, lockFolder } from '../../../subgraphs/shared/database/folderLock.js';
import { silentLogger } from '../../../src/platform/logger.js';
import { gql } from '../../helpers/graphql.js';

describe('an embedded database in a folder (the local stack)', () => {
  const root = mkdtempSync(join(tmpdir(), 'ag-embedded-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('what a subgraph wrote is there after it restarts; a second process on the folder is refused while it runs', async () => {
    const folder = join(root, 'customers');
    const first = await startCustomersSubgraph({ port: 0, logger: silentLogger, database: folder });
    let created: string;
    try {
      const result = await gql<{ createCustomer: { id: string } }>(
        first.url,
        'mutation { createCustomer(name: "Kept", email: "kept@example.com") { id } }',
      );
      expect(result.errors).toBeUndefined();
      created = result.data!.createCustomer.id;
      await expect(startCustomersSubgraph({ port: 0, logger: silentLogger, database: folder })).rejects.toThrow(
        FolderInUse,
      );
    } finally {
      await first.close();
    }
    expect(existsSync(join(folder, 'owner.pid'))).toBe(false);

    const again = await startCustomersSubgraph({ port: 0, logger: silentLogger, database: folder });
    try {
      const ids = await gql<{ customers: { id: string; name: string }[] }>(again.url, '{ customers { id name } }');
      expect(ids.data!.customers).toEqual([
        { id: '1', name: 'Ada Lovelace' },
        { id: '2', name: 'Grace Hopper' },
        { id: '3', name: 'Alan Turing' },
        { id: created, name: 'Kept' },
      ]);
      // Migrations and seeds are not applied twice; the sequence goes on.
      const next = await gql<{ createCustomer: { id: string } }>(
        again.url,
        'mutation { createCustomer(name: "Next", email: "next@example.com") { id } }',
      );
      expect(Number(next.data!.createCustomer.id)).toBe(Number(created) + 1);
    } finally {
      await again.close();
    }
  });

  test('the folder lock refuses a live owner in another process, and takes over from a dead one', async () => {
    const folder = join(root, 'locked');
    mkdirSync(folder);
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(folder, 'owner.pid'), `${other.pid}\n`);
      expect(() => lockFolder(folder)).toThrow(
        new FolderInUse(folder, other.pid!), // names the folder, the process and what to do
      );
      expect(() => lockFolder(folder)).toThrow(
        /in use by process \d+.*Stop that process, or give this one another folder/,
      );
    } finally {
      const exited = once(other, 'exit');
      other.kill('SIGKILL');
      await exited;
    }
    // Its owner died without releasing it (a crash): taken over at once.
    const release = lockFolder(folder);
    expect(() => lockFolder(folder)).toThrow(/in use by process/);
    release();
    lockFolder(folder)();
  });
});
