import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestRunner } from '../src/testing.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'snapstack-data-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the data directory', () => {
  it('keeps users across a restart, and --fresh starts empty', async () => {
    const first = await startTestRunner({ dataDir });
    const created = await first.request('POST', '/users', {
      json: { name: 'Persistent', age: 50, email: 'p@example.com' },
    });
    expect(created.status).toBe(201);
    await first.close();

    const second = await startTestRunner({ dataDir });
    try {
      expect((await second.request('GET', `/users/${created.body.id}`)).body).toEqual(created.body);
    } finally {
      await second.close();
    }

    const fresh = await startTestRunner({ dataDir, fresh: true });
    try {
      expect((await fresh.request('GET', `/users/${created.body.id}`)).status).toBe(404);
      expect((await fresh.request('GET', '/users')).body.items).toEqual([]);
    } finally {
      await fresh.close();
    }
    // Three runner starts on disk: past vitest's 5 s default on a busy 2-core machine.
  }, 60_000);
});
