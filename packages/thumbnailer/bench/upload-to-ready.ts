/**
 * Upload -> `ready` latency through the local runner (`pnpm dev`'s CLI in a scratch data
 * directory): direct uploads, then polling the metadata until the thumbnailer is done.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type BenchContext, percentile } from '@snapstack/bench-kit';
import { FREE_PORT_OPTIONS } from '@snapstack/local/testing';

export const UPLOADS = 50;
/** Under the usage plan's 50 requests/s for the API-key route polled (429s would skew latency). */
const POLL_MS = 25;

export async function uploadToReady(
  { workDir, repoRoot, log }: Pick<BenchContext, 'workDir' | 'repoRoot' | 'log'>,
  files: readonly string[],
) {
  const dataDir = path.join(workDir, 'runner-data');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--conditions=@snapstack/source',
      '--import',
      'tsx',
      'packages/local/src/cli/cli.ts',
      ...FREE_PORT_OPTIONS,
      '--no-watch',
      '--fresh',
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, SNAPSTACK_DATA_DIR: dataDir, NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`runner not ready in 60 s: ${out}`)), 60_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /ready at (http:\/\/\S+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`runner exited (${code}): ${out}`)));
    });
    const auth = authHeaders(repoRoot, dataDir);
    const bodies = files.map((f) => readFileSync(f));
    const latencies: number[] = [];
    for (let i = 0; i < UPLOADS; i++) {
      const started = performance.now();
      const res = await fetch(`${url}/upload`, {
        method: 'POST',
        headers: { 'content-type': 'image/jpeg', authorization: auth.authorization },
        body: bodies[i % bodies.length],
      });
      const created = (await res.json()) as { image_id?: string; message?: string };
      if (res.status !== 201 || !created.image_id)
        throw new Error(`upload answered ${res.status}: ${created.message}`);
      for (let polls = 0; ; polls++) {
        if (polls > 60_000 / POLL_MS) throw new Error(`image ${created.image_id} not ready after 60 s`);
        const polled = await fetch(`${url}/metadata/${created.image_id}`, {
          headers: { 'x-api-key': auth.apiKey },
        });
        if (polled.status !== 200)
          throw new Error(`metadata answered ${polled.status}: ${await polled.text()}`);
        const meta = (await polled.json()) as {
          status?: string;
          error?: string;
        };
        if (meta.status === 'ready') break;
        if (meta.status === 'failed') throw new Error(`image failed: ${meta.error}`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      latencies.push(performance.now() - started);
    }
    latencies.sort((a, b) => a - b);
    log(`upload -> ready over ${UPLOADS} uploads of ${files.length} distinct 12 MP JPEGs`);
    return { p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
  }
}

/**
 * Credentials for the runner this bench started, asked for as a developer would: `pnpm token`
 * and `pnpm apikey` against the same data directory, which holds the dev JWT secret and API
 * key the runner enforces (written before it reports ready).
 */
function authHeaders(repoRoot: string, dataDir: string): { authorization: string; apiKey: string } {
  const pnpm = (args: readonly string[]) =>
    execFileSync('pnpm', ['--silent', ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, SNAPSTACK_DATA_DIR: dataDir, NODE_NO_WARNINGS: '1' },
    }).trim();
  const token = pnpm(['token', '--sub', 'bench', '--scope', 'images:write', '--expires-in', '1h']);
  return { authorization: `Bearer ${token}`, apiKey: pnpm(['apikey']) };
}
