import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Another live process holds the folder. */
export class FolderInUse extends Error {
  override readonly name = 'FolderInUse';
  constructor(
    readonly folder: string,
    readonly pid: number,
  ) {
    super(
      `database folder ${folder} is in use by process ${pid}: an embedded database has one process at a time. ` +
        'Stop that process, or give this one another folder (--database)',
    );
  }
}

const LOCK_FILE = 'owner.pid';
/** Folders this process holds: its own pid in a file means "held" only when listed here. */
const held = new Set<string>();

/**
 * Takes `folder` for this process: writes its pid to `owner.pid` there, created exclusively,
 * and refuses while the pid written by another process is alive. A pid file left by a
 * process that died (a crash, SIGKILL) is taken over at once, which a time-based lock
 * could not do for a component the local stack restarts a second later. It guards against
 * starting a second process on a folder, not against two taking over a stale file in the
 * same instant. Returns the release, which removes the file.
 */
export function lockFolder(folder: string): () => void {
  mkdirSync(folder, { recursive: true });
  const file = resolve(folder, LOCK_FILE);
  if (held.has(file)) throw new FolderInUse(folder, process.pid);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      held.add(file);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(file);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 1) throw error;
    }
    const owner = Number(readFileSync(file, 'utf8').trim());
    // Our own pid, not held: an earlier process that had it (a container restarted as pid 1).
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
      throw new FolderInUse(folder, owner);
    }
    rmSync(file, { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
