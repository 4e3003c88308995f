/**
 * The production build under the Content-Security-Policy a stage's distribution sends (domain
 * `webAppContentSecurityPolicy`), in Chromium: the app signs in, uploads, shows the thumbnail,
 * downloads the original and reads the people page without one violation. The policy's sources
 * are the runner's origins, as a stage's are its API, user pool, bucket and distribution; a
 * policy that forgot one (or a build that inlined a script) fails here, not after a deploy.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { webAppContentSecurityPolicy } from '@snapstack/domain/delivery';
import { startTestRunner, type TestRunner } from '@snapstack/local/testing';
import { startDevWebApp, webSettings } from '@snapstack/local/web/dev';
import { buildWebAppArtifact } from '@snapstack/packager/artifacts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLUE, launch, photo, RED, skipReason } from './support/browser.js';

const reason = skipReason();

/** What the page reports through `securitypolicyviolation` events (this file has no DOM types). */
interface Recorded {
  __violations: string[];
  __inline?: number;
}

/** The few DOM calls the checks make. */
interface PageGlobals extends Recorded {
  readonly document: {
    addEventListener(
      type: string,
      listener: (e: { violatedDirective: string; blockedURI: string }) => void,
    ): void;
    createElement(tag: string): { textContent: string };
    readonly head: { append(node: unknown): void };
  };
}

let runner: TestRunner;
let web: { url: string; close(): Promise<void> };
let browser: Browser;
let policy: string;

beforeAll(async () => {
  if (reason) return;
  runner = await startTestRunner();
  const pool = webSettings(runner).userPool;
  if (!pool) throw new Error('the runner trusts no user pool issuer');
  // The build a deploy uploads, made the same way.
  const { dir: distDir } = buildWebAppArtifact(mkdtempSync(path.join(tmpdir(), 'snapstack-web-build-')));
  const origin = (url: string) => new URL(url).origin;
  policy = webAppContentSecurityPolicy({
    api: origin(runner.url),
    issuer: origin(pool.issuer),
    // The local provider's login pages and token endpoint live at its issuer, as Cognito's at its login host.
    login: origin(pool.issuer),
    imagesBucket: origin(runner.endpoints.s3),
    // In AWS thumbnails come from the page's own distribution ('self'); here from the delivery server.
    thumbnails: origin(runner.endpoints.imageDelivery),
  });
  web = await startDevWebApp(runner, {
    port: 0,
    publicHost: '127.0.0.1',
    built: { distDir, headers: { 'Content-Security-Policy': policy } },
  });
  browser = await launch();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await runner?.close();
});

/** A page that records every CSP violation from its first script on. */
async function recordingPage(): Promise<Page> {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    const w = globalThis as unknown as PageGlobals;
    w.__violations = [];
    w.document.addEventListener(
      'securitypolicyviolation',
      (e: { violatedDirective: string; blockedURI: string }) =>
        w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return page;
}

const violations = (page: Page) => page.evaluate(() => (globalThis as unknown as Recorded).__violations);

describe.skipIf(reason)('the built web app under the deployed Content-Security-Policy, in Chromium', () => {
  it('is served with the policy, which refuses a script the build did not ship', async () => {
    const page = await recordingPage();
    const response = await page.goto(web.url);
    expect(response?.headers()['content-security-policy']).toBe(policy);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    // An injected inline script, as an XSS would add one: blocked and reported.
    await page.evaluate(() => {
      const doc = (globalThis as unknown as PageGlobals).document;
      const script = doc.createElement('script');
      script.textContent = 'globalThis.__inline = 1';
      doc.head.append(script);
    });
    await expect.poll(() => violations(page)).toEqual([expect.stringMatching(/^script-src/)]);
    expect(await page.evaluate(() => (globalThis as unknown as Recorded).__inline)).toBeUndefined();
    await page.close();
  });

  it('signs in, uploads, shows the thumbnail, downloads the original and lists people with no violation', async () => {
    const page = await recordingPage();
    await page.goto(web.url);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Email').fill('csp@example.com');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My photos' }).waitFor();

    const buffer = await photo({ width: 800, height: 600, top: RED, bottom: BLUE });
    await page.setInputFiles('#file-input', { name: 'csp.jpg', mimeType: 'image/jpeg', buffer });
    const thumbnail = page.locator('li[data-status="ready"] img');
    await thumbnail.waitFor({ timeout: 60_000 });
    await expect
      .poll(() => thumbnail.evaluate((img) => (img as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(0);

    await thumbnail.click();
    const dialog = page.getByRole('dialog');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download original' }).click(),
    ]);
    expect(await download.failure()).toBeNull();
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { name: 'People' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();

    expect(await violations(page)).toEqual([]);
    await page.close();
  });
});
