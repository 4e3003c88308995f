/**
 * The web app's budget and speed:
 * - JS shipped: the production build (`vite build`), gzip-compressed as the CDN serves it,
 *   against the 60 KiB budget.
 * - Drop → thumbnail visible: a 12 MP photo chosen in the page (the file input's change event;
 *   a drop runs the same code from there) until its tile shows the loaded thumbnail, 20 times in
 *   a row, through the runner and the web app's dev server as `pnpm dev` runs them, in Chromium.
 *   The peer, in the same run: the same photo through the same API calls from Node (POST
 *   /uploads, the presigned POST, GET /images until ready), so the ratio is what the browser and
 *   the app add.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Bench, type BenchReport, percentile } from '@snapstack/bench-kit';
import { startTestRunner, type TestRunner } from '@snapstack/local/testing';
import { startDevWebApp } from '@snapstack/local/web/dev';
import { build } from 'vite';
import { BLUE, hasChromium, launch, photo, RED } from '../test/support/browser.js';

const BUDGET_KIB = 60;
const PHOTOS = 20;
const WEB_DIR = path.join(import.meta.dirname, '..');

async function shippedJs(outDir: string): Promise<{ files: number; gzipKiB: number; rawKiB: number }> {
  await build({
    configFile: path.join(WEB_DIR, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  const assets = path.join(outDir, 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
  const bytes = js.map((f) => readFileSync(path.join(assets, f)));
  const kib = (n: number) => Math.round((n / 1024) * 10) / 10;
  return {
    files: js.length,
    rawKiB: kib(bytes.reduce((s, b) => s + b.length, 0)),
    gzipKiB: kib(bytes.reduce((s, b) => s + gzipSync(b).length, 0)),
  };
}

/** The same upload as the app makes, from Node: the peer of the browser path. */
async function apiUpload(app: TestRunner, body: Buffer, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  const created = await app.request('POST', '/uploads', {
    headers,
    json: { contentType: 'image/jpeg', bytes: body.length },
  });
  const form = new FormData();
  for (const [k, v] of Object.entries(created.body.upload.fields as Record<string, string>))
    form.append(k, v);
  form.append('file', new Blob([new Uint8Array(body)], { type: 'image/jpeg' }));
  const stored = await fetch(created.body.upload.url, { method: 'POST', body: form });
  if (!stored.ok) throw new Error(`presigned POST: ${stored.status}`);
  for (;;) {
    const list = await app.request('GET', '/images?limit=5', { headers });
    const item = list.body.items.find(
      (i: { image_id: string }) => i.image_id === created.body.image.image_id,
    );
    if (item?.status === 'ready') {
      // Visible means fetched: load the thumbnail as the browser does.
      await (await fetch(item.thumbnails[0].url)).arrayBuffer();
      return performance.now() - started;
    }
    if (item?.status === 'failed') throw new Error(`processing failed: ${item.error}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function browserUploads(app: TestRunner, file: string, log: (line: string) => void): Promise<number[]> {
  const web = await startDevWebApp(app, { port: 0, watch: false, publicHost: '127.0.0.1' });
  const browser = await launch();
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(web.url);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Email').fill('bench@example.com');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My photos' }).waitFor();
    // Timed in the page, from the input's change event (where a drop also starts) to the loaded
    // thumbnail: handing the file to the page is the test driver's cost, not the app's.
    // Strings are evaluated in the page: this file is type-checked without the DOM library.
    await page.evaluate(
      `document.querySelector('#file-input').addEventListener('change', () => { window.droppedAt = performance.now(); }, true)`,
    );
    const times: number[] = [];
    for (let i = 0; i < PHOTOS; i++) {
      await page.setInputFiles('#file-input', file);
      const visible = await page.waitForFunction(
        `[...document.querySelectorAll('li[data-status="ready"] img')].filter((img) => img.complete && img.naturalWidth > 0).length >= ${i + 1} && performance.now() - window.droppedAt`,
        undefined,
        { polling: 'raf', timeout: 60_000 },
      );
      times.push(Number(await visible.jsonValue()));
      log(`browser ${i + 1}/${PHOTOS}: ${Math.round(times.at(-1)!)} ms`);
    }
    return times;
  } finally {
    await browser.close();
    await web.close();
  }
}

export default (async ({ workDir, log }) => {
  const js = await shippedJs(path.join(workDir, 'web-dist'));
  const targets: BenchReport['targets'][number][] = [
    {
      name: 'JS shipped (gzip, KiB)',
      value: js.gzipKiB,
      target: `<= ${BUDGET_KIB}`,
      pass: js.gzipKiB <= BUDGET_KIB,
    },
  ];
  const rows: BenchReport['rows'][number][] = [
    { measure: 'JS shipped', files: js.files, 'raw KiB': js.rawKiB, 'gzip KiB': js.gzipKiB },
  ];
  const notes = ['in-process emulators on a shared 2-core machine: compare runs on the same machine only'];
  if (!hasChromium) {
    notes.push('drop → visible not measured: no Chromium at /usr/bin/chromium');
    return { name: 'web', title: 'Web app: JS shipped and drop → thumbnail visible', rows, targets, notes };
  }
  const body = await photo({ width: 4000, height: 3000, top: RED, bottom: BLUE, noise: 12 });
  const app = await startTestRunner({ queues: { waitTimeSeconds: 1 } });
  try {
    const headers = await app.as('bench-peer');
    const peer: number[] = [];
    for (let i = 0; i < PHOTOS; i++) peer.push(await apiUpload(app, body, headers));
    const file = path.join(workDir, 'photo-12mp.jpg');
    writeFileSync(file, body);
    const browser = await browserUploads(app, file, log);
    const stats = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return { p50: Math.round(percentile(sorted, 50)), p95: Math.round(percentile(sorted, 95)) };
    };
    const b = stats(browser);
    const p = stats(peer);
    rows.push(
      { measure: 'drop → visible (browser, ms)', files: PHOTOS, p50: b.p50, p95: b.p95 },
      { measure: 'same calls from Node (peer, ms)', files: PHOTOS, p50: p.p50, p95: p.p95 },
    );
    targets.push(
      { name: 'drop → visible p50, 12 MP (ms)', value: b.p50, target: '<= 1500', pass: b.p50 <= 1500 },
      {
        name: 'browser / Node p50',
        value: Math.round((b.p50 / p.p50) * 100) / 100,
        target: 'reported',
        pass: true,
      },
    );
    notes.push(`photo: 4000x3000 JPEG, ${(body.length / 1e6).toFixed(1)} MB; uploads one at a time`);
    return { name: 'web', title: 'Web app: JS shipped and drop → thumbnail visible', rows, targets, notes };
  } finally {
    await app.close();
  }
}) satisfies Bench;
