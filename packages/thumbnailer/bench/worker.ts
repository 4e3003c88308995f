/**
 * The thumbnail bench's child process (thumbnails.bench.ts beside it), so each measurement
 * gets a fresh process and its own peak RSS:
 *
 *   worker.ts corpus <dir> <jpegs> <pngs>      make the corpus, print the file list as JSON
 *   worker.ts run <concurrency> <rounds> <f..>  thumbnail the files, print images/s and
 *                                              images per CPU-second as JSON
 *   worker.ts serve <f..>                      one Lambda-like worker process: warm up, print
 *                                              "ready", then one timed pass over the files per
 *                                              "go" line on stdin, printing {startedAt, endedAt}
 *                                              (epoch ms), so a parent can run several in step
 *   worker.ts rss <file>                       thumbnail one file, print peak RSS (MB) as JSON
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { renderThumbnails, type ThumbnailOptions } from '../src/core/thumbnail.js';
import { generateCorpus } from './corpus.js';

const [mode, ...args] = process.argv.slice(2);
const options: ThumbnailOptions = { sizes: [128], format: 'jpeg', maxInputPixels: 100_000_000 };
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

if (mode === 'corpus') {
  const [dir, jpegs, pngs] = args;
  console.log(JSON.stringify(await generateCorpus(dir!, Number(jpegs), Number(pngs))));
} else if (mode === 'run') {
  const [concurrency, rounds, ...files] = args;
  // Every contender gets its inputs already in memory (Pillow reads its files into bytes before its
  // timed passes too): the comparison is of thumbnailing, not of this machine's page cache, where
  // a fresh 4 MB read measured anywhere from 0.4 to 13 ms of CPU in one minute. In Lambda the
  // bytes arrive in memory too (the S3 GetObject body).
  const inputs = files.map((file) => readFileSync(file));
  const once = async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: Number(concurrency) }, async () => {
        while (next < inputs.length) await renderThumbnails(inputs[next++]!, options);
      }),
    );
  };
  await once(); // warm-up: libvips initialisation, page cache
  let best = 0;
  let bestCpu = 0;
  for (let r = 0; r < Number(rounds); r++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    await once();
    const { user, system } = process.cpuUsage(cpu);
    best = Math.max(best, inputs.length / ((performance.now() - started) / 1000));
    bestCpu = Math.max(bestCpu, inputs.length / ((user + system) / 1e6));
  }
  // images per CPU-second: what one dedicated core would do, whatever else shares the machine
  console.log(JSON.stringify({ imagesPerSecond: best, imagesPerCpuSecond: bestCpu, peakRssMb: peakRssMb() }));
} else if (mode === 'serve') {
  const inputs = args.map((file) => readFileSync(file)); // in memory, as in 'run'
  const pass = async () => {
    for (const input of inputs) await renderThumbnails(input, options);
  };
  await pass(); // warm-up
  console.log('ready');
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() !== 'go') continue;
    const startedAt = performance.timeOrigin + performance.now();
    await pass();
    console.log(JSON.stringify({ startedAt, endedAt: performance.timeOrigin + performance.now() }));
  }
} else if (mode === 'rss') {
  const baselineMb = peakRssMb();
  const input = readFileSync(args[0]!);
  const { source } = await renderThumbnails(input, options);
  console.log(
    JSON.stringify({ baselineMb, peakRssMb: peakRssMb(), megapixels: (source.width * source.height) / 1e6 }),
  );
} else {
  console.error('usage: worker.ts corpus|run|serve|rss ...');
  process.exit(2);
}
