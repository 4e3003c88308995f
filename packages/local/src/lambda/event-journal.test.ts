import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventJournal } from './event-journal.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'snapstack-journal-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('EventJournal', () => {
  it('keeps appended events across instances, oldest first, until removed', () => {
    const dir = tempDir();
    let now = 1_000;
    const first = new EventJournal(dir, undefined, () => now);
    const a = first.append('thumbnailer', { n: 'a' });
    now = 2_000;
    first.append('thumbnailer', { n: 'b' });

    const reopened = new EventJournal(dir);
    expect(reopened.entries()).toMatchObject([
      { functionId: 'thumbnailer', event: { n: 'a' }, receivedAt: 1_000 },
      { functionId: 'thumbnailer', event: { n: 'b' }, receivedAt: 2_000 },
    ]);
    reopened.remove(a.id);
    expect(new EventJournal(dir).entries().map((e) => e.event)).toEqual([{ n: 'b' }]);
  });

  it('drops half-written files and sets unreadable ones aside instead of redelivering them', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '000000000000001-x.json.tmp'), '{"version":1,');
    writeFileSync(path.join(dir, '000000000000002-y.json'), 'not json');
    const lines: string[] = [];
    const journal = new EventJournal(dir, (line) => lines.push(line));
    expect(journal.entries()).toEqual([]);
    expect(readdirSync(dir)).toEqual(['000000000000002-y.json.unreadable']);
    expect(lines).toEqual([expect.stringContaining('000000000000002-y.json is unreadable')]);
  });

  it('keeps nothing without a directory', () => {
    const journal = new EventJournal(undefined);
    const entry = journal.append('thumbnailer', {});
    expect(journal.entries()).toEqual([]);
    expect(() => journal.remove(entry.id)).not.toThrow();
  });
});
