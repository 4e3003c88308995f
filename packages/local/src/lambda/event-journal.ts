/**
 * A write-ahead journal of asynchronous invocations (S3 event notifications), one file per
 * event under `<dataDir>/s3-events`, so an event S3 accepted survives a crash of the runner
 * until the function has handled it. AWS delivers S3 events at least once; after a restart
 * the runner redelivers every event still in the journal, so the local runner does too.
 *
 * Durability is the process's, not the disk's: files are written to a temporary name and
 * renamed (a reader never sees half an event), without fsync — s3rver does not fsync the
 * objects these events describe either, so an fsync here would not make an upload survive a
 * power loss. A SIGKILL loses nothing: the kernel has the bytes.
 *
 * With no directory (in-memory runners) the journal keeps nothing.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const VERSION = 1;

export interface JournalEntry {
  /** The file's name: receive time first, so a directory listing is delivery order. */
  readonly id: string;
  readonly functionId: string;
  readonly event: unknown;
  /** When the event was first accepted (epoch ms): Lambda's maximum event age counts from here. */
  readonly receivedAt: number;
}

export class EventJournal {
  private readonly directory: string | undefined;

  constructor(
    directory: string | undefined,
    private readonly log: (line: string) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.directory = directory;
    if (directory) mkdirSync(directory, { recursive: true });
  }

  /** Persists the event before returning (synchronously: callers acknowledge after it). */
  append(functionId: string, event: unknown): JournalEntry {
    const receivedAt = this.now();
    const id = `${String(receivedAt).padStart(15, '0')}-${randomUUID()}.json`;
    const entry: JournalEntry = { id, functionId, event, receivedAt };
    if (this.directory) {
      const file = path.join(this.directory, id);
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, JSON.stringify({ version: VERSION, functionId, receivedAt, event }));
      renameSync(tmp, file);
    }
    return entry;
  }

  /** The function has handled the event (or its failure is in the on-failure queue). */
  remove(id: string): void {
    if (this.directory) rmSync(path.join(this.directory, id), { force: true });
  }

  /** Every event not yet handled, oldest first. Leftover temporary files are deleted. */
  entries(): JournalEntry[] {
    const directory = this.directory;
    if (!directory) return [];
    const entries: JournalEntry[] = [];
    for (const name of readdirSync(directory).sort()) {
      const file = path.join(directory, name);
      // Written but never renamed: the crash came before S3 acknowledged the upload.
      if (name.endsWith('.tmp')) {
        rmSync(file, { force: true });
        continue;
      }
      if (!name.endsWith('.json')) continue;
      try {
        const saved = JSON.parse(readFileSync(file, 'utf8')) as {
          version: number;
          functionId: string;
          receivedAt: number;
          event: unknown;
        };
        if (saved.version !== VERSION) throw new Error(`unknown version ${saved.version}`);
        entries.push({
          id: name,
          functionId: saved.functionId,
          event: saved.event,
          receivedAt: saved.receivedAt,
        });
      } catch (error) {
        // Kept for a person to look at, never redelivered half-read.
        renameSync(file, `${file}.unreadable`);
        this.log(`s3 event journal: ${name} is unreadable (${String(error)}); kept as ${name}.unreadable`);
      }
    }
    return entries;
  }
}
