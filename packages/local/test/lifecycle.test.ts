/**
 * `pnpm dev`'s process lifecycle, on the real CLI in child processes with their own data
 * directories: signals stop the whole tree and free every port, the data survives a restart,
 * one runner per data directory, a taken port is one clear line, an orphaned runner stops,
 * and every local command answers --help and refuses unknown options with usage (exit 2).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { routeScopes } from '@snapstack/domain/routes';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadDevCredentials, signDevToken } from '../src/cli/credentials.js';
import { LOCK_FILE } from '../src/cli/data-dir.js';
import { FREE_PORT_OPTIONS } from '../src/testing.js';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const temp = mkdtempSync(path.join(tmpdir(), 'snapstack-lifecycle-'));
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(temp, { recursive: true, force: true });
});

interface Run {
  readonly child: ChildProcess;
  readonly output: () => { stdout: string; stderr: string };
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a local command (`cli.ts` is `pnpm dev`) as the root scripts do: node + tsx, no pnpm. */
function run(
  script: string,
  args: readonly string[],
  dataDir = path.join(temp, 'unused'),
  viaShell = false,
): Run {
  const argv = ['--conditions=@snapstack/source', '--import', 'tsx', path.join(SRC, script), ...args];
  const env = { ...process.env, SNAPSTACK_DATA_DIR: dataDir, NODE_NO_WARNINGS: '1' };
  // viaShell: a parent that never passes signals on (`; true` stops sh from exec'ing node).
  const quoted = [process.execPath, ...argv].map((a) => `'${a}'`).join(' ');
  const child = viaShell
    ? spawn('sh', ['-c', `${quoted}; true`], { env, cwd: SRC })
    : spawn(process.execPath, argv, { env, cwd: SRC });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => ({ stdout, stderr }), exited };
}

interface Ready {
  readonly pid: number;
  readonly url: string;
  readonly ports: number[];
}

/** Waits for the ready line; its URLs name every port the runner holds. */
async function ready(r: Run): Promise<Ready> {
  const line = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const found = r
        .output()
        .stdout.split('\n')
        .find((l) => l.includes('is ready at'));
      if (found) resolve(found);
    };
    r.child.stdout?.on('data', check);
    r.exited.then(() => reject(new Error(`the runner exited before it was ready: ${r.output().stderr}`)));
    check();
  });
  const urls = line.match(/http:\/\/127\.0\.0\.1:\d+/g) ?? [];
  return {
    pid: Number(/PID (\d+)/.exec(line)?.[1]),
    url: urls[0] as string,
    ports: urls.map((u) => Number(new URL(u).port)),
  };
}

/** Child processes of `pid` (esbuild's service), from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        return readFileSync(`/proc/${e}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number) => existsSync(`/proc/${pid}`);

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

async function createUser(url: string, dataDir: string) {
  const { apiKey, jwtSecret } = loadDevCredentials(dataDir);
  const token = await signDevToken(jwtSecret, { sub: 'lifecycle', scope: routeScopes().join(' ') });
  const res = await fetch(`${url}/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'x-api-key': apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Kept', age: 40, email: 'k@example.com' }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string };
}

const getUser = async (url: string, dataDir: string, id: string) =>
  fetch(`${url}/users/${id}`, { headers: { 'x-api-key': loadDevCredentials(dataDir).apiKey } });

describe('pnpm dev', () => {
  it('stops its whole tree on SIGTERM, frees its ports, keeps one runner per data directory, restarts clean', async () => {
    const dataDir = path.join(temp, 'data');
    const first = run('cli/cli.ts', [...FREE_PORT_OPTIONS, '--no-watch'], dataDir);
    const up = await ready(first);
    const user = await createUser(up.url, dataDir);

    // A second runner on the same data directory refuses to start, naming the first.
    const second = run('cli/cli.ts', FREE_PORT_OPTIONS, dataDir);
    expect((await second.exited).code).toBe(1);
    expect(second.output().stderr).toContain(`(PID ${up.pid}) is using ${dataDir}`);
    // A taken port: one line, with the way out.
    const clash = run(
      'cli/cli.ts',
      [...FREE_PORT_OPTIONS, '--port', String(up.ports[0])],
      path.join(temp, 'other'),
    );
    expect((await clash.exited).code).toBe(1);
    expect(clash.output().stderr.trim().split('\n')).toEqual([
      `port ${up.ports[0]} is already in use; try PORT=${(up.ports[0] as number) + 1} pnpm dev, or pnpm dev --port ${(up.ports[0] as number) + 1} (0 picks a free port)`,
    ]);

    const tree = childrenOf(up.pid);
    expect(tree.length).toBeGreaterThan(0); // esbuild's service
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    for (const port of up.ports) expect(await refused(port)).toBe(true);
    await vi.waitFor(() => expect(tree.filter(alive)).toEqual([]), { timeout: 10_000 });
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    expect(first.output().stderr).toBe('');

    // A lock left by a process that is gone (kill -9) is stale: the restart takes it over.
    const gone = run('cli/apikey-cli.ts', ['--help']);
    await gone.exited;
    writeFileSync(path.join(dataDir, LOCK_FILE), `${gone.child.pid}\n`);
    const again = run('cli/cli.ts', [...FREE_PORT_OPTIONS, '--no-watch'], dataDir);
    const upAgain = await ready(again);
    const kept = await getUser(upAgain.url, dataDir, user.id);
    expect(kept.status).toBe(200);
    again.child.kill('SIGINT');
    expect(await again.exited).toEqual({ code: 0, signal: null });
    expect(again.output().stderr).toBe('');
  }, 120_000);

  it('stops by itself when its parent dies without passing a signal on (no orphan)', async () => {
    const wrapped = run('cli/cli.ts', [...FREE_PORT_OPTIONS, '--no-watch'], path.join(temp, 'orphan'), true);
    const up = await ready(wrapped);
    wrapped.child.kill('SIGKILL'); // the shell; the runner is reparented
    await vi.waitFor(() => expect(alive(up.pid)).toBe(false), { timeout: 30_000 });
    for (const port of up.ports) expect(await refused(port)).toBe(true);
    expect(existsSync(path.join(temp, 'orphan', LOCK_FILE))).toBe(false);
  }, 120_000);
});

describe('the local commands', () => {
  const commands = ['cli/cli.ts', 'cli/token-cli.ts', 'cli/apikey-cli.ts', 'cli/redrive-cli.ts'];

  it.concurrent.each(commands)(
    '%s --help prints its usage and exits 0',
    async (script) => {
      const r = run(script, ['--help']);
      expect(await r.exited).toEqual({ code: 0, signal: null });
      expect(r.output().stdout).toMatch(/^Usage: pnpm /);
    },
    30_000,
  );

  it.concurrent.each(commands)(
    '%s refuses an unknown option with its usage, exit 2 and no stack trace',
    async (script) => {
      const r = run(script, ['--no-such-option']);
      expect(await r.exited).toEqual({ code: 2, signal: null });
      const { stderr } = r.output();
      expect(stderr).toMatch(/^Unknown option '--no-such-option'/);
      expect(stderr).toContain('Usage: pnpm ');
      expect(stderr).not.toMatch(/^\s+at /m);
    },
    30_000,
  );

  it('refuses a port that is not a number with exit 2', async () => {
    const r = run('cli/cli.ts', ['--port', 'abc']);
    expect((await r.exited).code).toBe(2);
    expect(r.output().stderr).toMatch(/^invalid port: abc/);
  }, 30_000);
});
