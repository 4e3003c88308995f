/**
 * The web app end to end, in Chromium, through everything `pnpm dev` runs: the runner (API,
 * handlers, emulators, the local OpenID provider, the thumbnail delivery server) and the web
 * app's dev server with its generated config.json. Sign in at the provider's login page, upload
 * three photos (one EXIF-rotated, one over the 4.5 MB direct-upload limit), see each thumbnail
 * upright in the page's pixels, open and download one, delete one, like a user, sign out; a
 * second person sees none of the first's photos; a refused file says why.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startTestRunner, type TestRunner } from '@snapstack/local/testing';
import { startDevWebApp, webSettings } from '@snapstack/local/web/dev';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BLUE,
  bandColor,
  GREEN,
  launch,
  nearest,
  photo,
  RED,
  type Rgb,
  SCREENSHOTS,
  skipReason,
  YELLOW,
} from './support/browser.js';

const reason = skipReason();
const PALETTE = { RED, BLUE, GREEN, YELLOW };

/** The fields of an `<img>` the checks read (this file is type-checked without the DOM library). */
interface Loaded {
  readonly complete: boolean;
  readonly naturalWidth: number;
}

interface TestPhoto {
  readonly name: string;
  readonly buffer: Buffer;
  /** As displayed (after EXIF orientation), which the tile's alt text states. */
  readonly dims: string;
  readonly top: keyof typeof PALETTE;
  readonly bottom: keyof typeof PALETTE;
}

let runner: TestRunner;
let web: { url: string; origin: string; close(): Promise<void> };
let browser: Browser;
let photos: TestPhoto[];

beforeAll(async () => {
  if (reason) return;
  runner = await startTestRunner();
  if (!webSettings(runner).userPool)
    throw new Error(
      'the runner trusts no user pool issuer: the local OpenID provider (issue 14) is not running',
    );
  web = await startDevWebApp(runner, { port: 0, watch: false, publicHost: '127.0.0.1' });
  browser = await launch();
  const rgb = (name: keyof typeof PALETTE): Rgb => PALETTE[name];
  const make = async (
    name: string,
    w: number,
    h: number,
    top: keyof typeof PALETTE,
    bottom: keyof typeof PALETTE,
    extra = {},
  ) => ({
    name,
    buffer: await photo({ width: w, height: h, top: rgb(top), bottom: rgb(bottom), ...extra }),
    dims: `${w}×${h}`, // as displayed: \`photo\` stores a rotated one turned, and EXIF turns it back
    top,
    bottom,
  });
  photos = [
    await make('plain.jpg', 1600, 1200, 'RED', 'BLUE'),
    // Displayed 1000×1500 (portrait), stored 1500×1000 with EXIF orientation 6.
    await make('rotated.jpg', 1000, 1500, 'GREEN', 'YELLOW', { exifRotated: true }),
    await make('large.jpg', 4000, 3000, 'BLUE', 'RED', { noise: 40 }),
  ];
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await runner?.close();
});

/** Signs in at the local provider's dev login page (any email, no password). */
async function signIn(email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(web.url);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'My photos' }).waitFor();
  return page;
}

describe.skipIf(reason)('the web app through pnpm dev, in Chromium', () => {
  it('is configured with no usage-plan key: the people page reads with the sign-in', async () => {
    const config = await (await fetch(`${web.url}config.json`)).text();
    expect(Object.keys(JSON.parse(config))).toEqual(['apiUrl', 'oidc']);
    expect(config).not.toContain(runner.apiKey);
  });

  it('signs in, uploads three photos whose thumbnails appear upright, opens, downloads, deletes, likes, signs out', async () => {
    const grace = await runner.request('POST', '/users', {
      json: { name: 'Grace', age: 40, email: 'grace@example.com' },
    });
    expect(grace.status).toBe(201);
    const page = await signIn('ada@example.com');
    await page.setInputFiles(
      '#file-input',
      photos.map((p) => ({ name: p.name, mimeType: 'image/jpeg', buffer: p.buffer })),
    );
    expect(photos[2]!.buffer.length).toBeGreaterThan(4_500_000);
    const ready = page.locator('li[data-status="ready"] img');
    await expect.poll(() => ready.count(), { timeout: 60_000 }).toBe(3);

    for (const shown of await ready.all()) {
      await expect
        .poll(() => shown.evaluate((img) => (img as Loaded).complete && (img as Loaded).naturalWidth > 0))
        .toBe(true);
      const alt = (await shown.getAttribute('alt')) ?? '';
      const source = photos.find((p) => alt.endsWith(p.dims));
      expect(source, `no photo is ${alt}`).toBeDefined();
      const shot = await shown.screenshot();
      expect(nearest(await bandColor(shot, 0.1, 0.4), PALETTE), `${source!.name} top`).toBe(source!.top);
      expect(nearest(await bandColor(shot, 0.6, 0.9), PALETTE), `${source!.name} bottom`).toBe(
        source!.bottom,
      );
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'gallery.png'), fullPage: true });

    // Open the plain photo: a larger size, and its original's exact bytes.
    const plain = photos[0]!;
    const tileImage = page.locator(`li[data-status="ready"] img[alt$="${plain.dims}"]`);
    const tileWidth = await tileImage.evaluate((img) => (img as Loaded).naturalWidth);
    await tileImage.click();
    const dialog = page.getByRole('dialog');
    // The largest thumbnail the stage makes (THUMBNAIL_SIZES; 128 by default): never smaller than the tile's.
    await expect
      .poll(() => dialog.locator('img').evaluate((img) => (img as Loaded).naturalWidth))
      .toBeGreaterThanOrEqual(tileWidth);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download original' }).click(),
    ]);
    expect(Buffer.compare(await readFile((await download.path())!), plain.buffer)).toBe(0);
    await dialog.getByRole('button', { name: 'Close' }).click();

    // Delete the large one, after confirming.
    const large = photos[2]!;
    await page.locator(`li[data-status="ready"] img[alt$="${large.dims}"]`).click();
    await dialog.getByRole('button', { name: 'Delete…' }).click();
    await dialog.getByRole('button', { name: 'Yes, delete' }).click();
    await expect.poll(() => page.locator('li.tile').count()).toBe(2);

    // A refused file says why.
    await page.setInputFiles('#file-input', {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a photo'),
    });
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain('notes.txt is not a photo Snapstack accepts');

    // Like a user: the count the worker writes shows up.
    await page.getByRole('link', { name: 'People' }).click();
    const count = page.locator(`li[data-user-id="${grace.body.id}"] .likes`);
    await count.getByText('0 likes').waitFor();
    await page.getByRole('button', { name: 'Like Grace', exact: true }).click();
    await count.getByText('1 like', { exact: true }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'people.png'), fullPage: true });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.context().close();
  });

  it('shows a second person none of the first person’s photos, and the first their own after the delete', async () => {
    const bob = await signIn('bob@example.com');
    await bob.getByText('No photos yet').waitFor();
    expect(await bob.locator('li.tile').count()).toBe(0);
    await bob.context().close();

    const ada = await signIn('ada@example.com');
    await expect.poll(() => ada.locator('li.tile').count()).toBe(2);
    await ada.context().close();
  });
});
