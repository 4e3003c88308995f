/**
 * Our contender, run as worker.ts child processes: one-shot runs (`node`, `oursRate`) and
 * Lambda-like long-lived workers started in step (`WorkerProcesses`).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Rate } from './peers.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** The worker runs from its package, where sharp and tsx resolve. */
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

export function node(args: readonly string[]): string {
  return execFileSync(
    process.execPath,
    ['--conditions=@snapstack/source', '--import', 'tsx', WORKER, ...args],
    {
      cwd: PACKAGE_DIR,
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    },
  );
}

/** Our thumbnails per second over the files, `concurrency` images at once in one process. */
export function oursRate(concurrency: number, files: readonly string[]): Rate {
  const r = JSON.parse(node(['run', String(concurrency), '1', ...files])) as {
    imagesPerSecond: number;
    imagesPerCpuSecond: number;
  };
  return { wall: r.imagesPerSecond, cpu: r.imagesPerCpuSecond };
}

/**
 * Lambda-like workers: processes (as Lambda runs concurrent invocations), each with its share of
 * the corpus, started in step for each pass; the pass lasts from the first start to the last end.
 */
export class WorkerProcesses {
  private readonly children: ChildProcess[];
  private readonly lines: AsyncIterator<string>[];

  constructor(
    private readonly files: readonly string[],
    count: number,
  ) {
    const share = Math.ceil(files.length / count);
    this.children = Array.from({ length: count }, (_, i) =>
      spawn(
        process.execPath,
        [
          '--conditions=@snapstack/source',
          '--import',
          'tsx',
          WORKER,
          'serve',
          ...files.slice(i * share, (i + 1) * share),
        ],
        {
          cwd: PACKAGE_DIR,
          env: { ...process.env, NODE_NO_WARNINGS: '1' },
          stdio: ['pipe', 'pipe', 'inherit'],
        },
      ),
    );
    this.lines = this.children.map((child) =>
      createInterface({ input: child.stdout! })[Symbol.asyncIterator](),
    );
  }

  private async next(i: number): Promise<string> {
    const { value, done } = await this.lines[i]!.next();
    if (done) throw new Error('a worker process exited early');
    return value;
  }

  async ready(): Promise<void> {
    await Promise.all(this.children.map(async (_, i) => expectLine(await this.next(i), 'ready')));
  }

  /** Images per wall-clock second for one pass of every process at once. */
  async pass(): Promise<number> {
    for (const child of this.children) child.stdin!.write('go\n');
    const spans = await Promise.all(
      this.children.map(
        async (_, i) => JSON.parse(await this.next(i)) as { startedAt: number; endedAt: number },
      ),
    );
    const seconds =
      (Math.max(...spans.map((s) => s.endedAt)) - Math.min(...spans.map((s) => s.startedAt))) / 1000;
    return this.files.length / seconds;
  }

  close(): void {
    for (const child of this.children) child.stdin!.end();
  }
}

function expectLine(actual: string, wanted: string): void {
  if (actual !== wanted) throw new Error(`worker process said "${actual}", not "${wanted}"`);
}
