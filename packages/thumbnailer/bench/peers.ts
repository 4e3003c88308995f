/**
 * The thumbnail bench's peers: Pillow (the reference design's approach) and djpeg's decode-only
 * limit, each timed in child processes; both are optional (a missing one is skipped with a note).
 */
import { execFileSync, spawnSync } from 'node:child_process';

const PILLOW_SCRIPT = `
import io, sys, time
from PIL import Image
rounds, files = int(sys.argv[1]), sys.argv[2:]
inputs = [open(f, 'rb').read() for f in files]  # in memory, as the Node worker's inputs are
def once():
    for data in inputs:
        im = Image.open(io.BytesIO(data))
        im.thumbnail((128, 128))
        im.save(io.BytesIO(), 'JPEG')
once()
best = best_cpu = 0
for _ in range(rounds):
    t, c = time.perf_counter(), time.process_time()
    once()
    best = max(best, len(files) / (time.perf_counter() - t))
    best_cpu = max(best_cpu, len(files) / (time.process_time() - c))
print(best, best_cpu)
`;

/** The first python3 that has Pillow (Debian's lives in /usr/bin; a pyenv shim may shadow it). */
export function findPillowPython(): string | undefined {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(candidate, ['-c', 'import PIL'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

export function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * CPU seconds (children, millisecond precision: bash's `time`; `sh`'s `times` only has 10 ms
 * ticks, 1.4% of a pass) and wall seconds of one djpeg process per file.
 */
function djpegLoop(files: readonly string[]): { cpu: number; wall: number } {
  const loop =
    'TIMEFORMAT="%3U %3S"; time (for f in "$@"; do djpeg -scale 1/8 "$f" > /dev/null || exit 1; done)';
  const started = performance.now();
  const result = spawnSync('bash', ['-c', loop, 'bash', ...files], { encoding: 'utf8' });
  const wall = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`djpeg failed: ${result.stderr}`);
  const [user, system] = (result.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { cpu: (user ?? Number.NaN) + (system ?? Number.NaN), wall };
}

/**
 * djpeg's decode rate. Ours and Pillow pay their process start once, before timing; djpeg pays
 * it per image (fork, exec, dynamic linking: ~1 ms, 2-3% of a 12 MP decode), so that cost is
 * measured on a 16x16 JPEG with the same loop and subtracted. `withStartup` is the raw figure.
 */
export function djpegRate(files: readonly string[], probe: string): { decode: Rate; withStartup: Rate } {
  djpegLoop(files); // warm-up: page cache
  const pass = djpegLoop(files);
  const startup = djpegLoop(files.map(() => probe));
  return {
    decode: {
      wall: files.length / (pass.wall - startup.wall),
      cpu: files.length / (pass.cpu - startup.cpu),
    },
    withStartup: { wall: files.length / pass.wall, cpu: files.length / pass.cpu },
  };
}

/** Images per wall-clock second and per CPU-second (the latter is immune to other work on the machine). */
export interface Rate {
  wall: number;
  cpu: number;
}
export const better = (a: Rate, b: Rate): Rate => ({
  wall: Math.max(a.wall, b.wall),
  cpu: Math.max(a.cpu, b.cpu),
});
export const zero: Rate = { wall: 0, cpu: 0 };

/** Two djpeg loops over halves of the corpus at once: how much a second core gives right now. */
export function djpegTwoProcessRate(files: readonly string[], rounds: number): number {
  const half = Math.ceil(files.length / 2);
  const loop = (part: readonly string[]) =>
    `(for f in ${part.map((f) => `'${f}'`).join(' ')}; do djpeg -scale 1/8 "$f" > /dev/null || exit 1; done)`;
  const both = `${loop(files.slice(0, half))} & ${loop(files.slice(half))} & wait`;
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    execFileSync('bash', ['-c', both]);
    best = Math.max(best, files.length / ((performance.now() - started) / 1000));
  }
  return best;
}

/** Pillow's open + thumbnail + save over the files (one timed pass after a warm-up). */
export function pillowRate(python: string, files: readonly string[]): Rate {
  const [wall, cpu] = execFileSync(python, ['-c', PILLOW_SCRIPT, '1', ...files], { encoding: 'utf8' })
    .trim()
    .split(/\s+/)
    .map(Number);
  return { wall: wall ?? 0, cpu: cpu ?? 0 };
}
