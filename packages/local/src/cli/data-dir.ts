/**
 * The data directory: where `pnpm dev` and the local commands keep state, and its lock.
 *
 * One runner per data directory: dynalite's LevelDB, the SQS snapshot and s3rver's files
 * each assume a single writer, and a second runner on the same directory fails deep inside
 * them (dynalite's "Database is closed"). The lock is a file holding the owner's PID; a lock
 * whose process is gone (killed with SIGKILL, a crash) is stale and taken over.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataDirInUseError } from './errors.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const DEFAULT_DATA_DIR = path.join(REPO_ROOT, '.snapstack', 'data');

export const LOCK_FILE = 'runner.lock';

/** Takes the data directory's lock for this process; returns the release. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  for (;;) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(file);
    if (owner !== undefined && isAlive(owner)) throw new DataDirInUseError(dataDir, owner);
    rmSync(file, { force: true }); // stale: its process is gone (or it was never written out)
  }
  return () => {
    if (readOwner(file) === process.pid) unlinkSync(file);
  };
}

/** Empties the data directory (`--fresh`), keeping the lock this process holds. */
export function clearDataDir(dataDir: string): void {
  for (const entry of readdirSync(dataDir))
    if (entry !== LOCK_FILE) rmSync(path.join(dataDir, entry), { recursive: true, force: true });
}

function readOwner(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true; // a second runner in this very process
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}
