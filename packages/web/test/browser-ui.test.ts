/**
 * The app's behaviour in Chromium against a scripted API and OpenID provider (Playwright route
 * interception): the PKCE exchange, rendering, polling, refusals, delete and likes, sign-out and
 * expiry. The same flows against the real runner are in browser-e2e.test.ts; this suite pins the
 * cases a real backend cannot be made to produce on demand (a failed image, an expired token).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { startWebApp, type WebApp } from '@snapstack/local/web';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageItem } from '../src/api.js';
import { BLUE, bandColor, launch, nearest, photo, RED, SCREENSHOTS, skipReason } from './support/browser.js';

const ISSUER = 'http://oidc.test';
const API = 'http://api.test';
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization,content-type,x-api-key',
  'access-control-allow-methods': 'GET,POST,DELETE,OPTIONS',
};

interface Backend {
  images: ImageItem[];
  likes: number;
  deleted: string[];
  tokenRequests: URLSearchParams[];
  challenge?: string;
  /** What the API answers to a bearer token (401 once it is "expired"). */
  tokenValid: boolean;
}

async function script(page: Page, backend: Backend): Promise<void> {
  const json = (route: Route, status: number, body: unknown) =>
    route.fulfill({
      status,
      headers: { ...CORS, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const thumbnail = await photo({ width: 200, height: 200, top: RED, bottom: BLUE });
  await page.route(`${ISSUER}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/.well-known/openid-configuration')
      return json(route, 200, {
        issuer: ISSUER,
        authorization_endpoint: `${ISSUER}/auth`,
        token_endpoint: `${ISSUER}/token`,
        jwks_uri: `${ISSUER}/jwks`,
      });
    if (url.pathname === '/auth') {
      backend.challenge = url.searchParams.get('code_challenge') ?? undefined;
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', 'the-code');
      back.searchParams.set('state', url.searchParams.get('state')!);
      return route.fulfill({ status: 302, headers: { location: back.href } });
    }
    if (route.request().method() === 'OPTIONS') return route.fulfill({ status: 204, headers: CORS });
    backend.tokenRequests.push(new URLSearchParams(route.request().postData() ?? ''));
    return json(route, 200, { access_token: 'at', token_type: 'Bearer', expires_in: 3600 });
  });
  await page.route('http://cdn.test/**', (route) =>
    route.fulfill({ status: 200, headers: { 'content-type': 'image/jpeg' }, body: thumbnail }),
  );
  await page.route(`${API}/**`, (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: CORS });
    if (!backend.tokenValid && request.headers().authorization)
      return json(route, 401, { message: 'Unauthorized' });
    if (url.pathname === '/images') return json(route, 200, { items: backend.images });
    if (request.method() === 'DELETE' && url.pathname.startsWith('/images/')) {
      backend.deleted.push(decodeURIComponent(url.pathname.split('/')[2]!));
      backend.images = backend.images.filter((i) => !backend.deleted.includes(i.image_id));
      return route.fulfill({ status: 204, headers: CORS });
    }
    if (url.pathname === '/people')
      return json(route, 200, { items: [{ id: 'u1', name: 'Ada', likes: backend.likes }] });
    if (url.pathname === '/people/u1')
      return json(route, 200, { id: 'u1', name: 'Ada', likes: backend.likes });
    if (url.pathname === '/users/u1/likes') {
      backend.likes += request.method() === 'POST' ? 1 : -1;
      return json(route, 202, { message: 'accepted' });
    }
    return json(route, 404, { message: 'Not Found' });
  });
}

const reason = skipReason();
let browser: Browser;
let context: BrowserContext;
let web: WebApp;

beforeAll(async () => {
  if (reason) return;
  web = await startWebApp({
    port: 0,
    watch: false,
    settings: {
      apiUrl: API,
      scopes: ['snapstack/images:read'],
      userPool: { issuer: ISSUER, clientId: 'web-client', jwksUrl: `${ISSUER}/jwks` },
    },
  });
  browser = await launch();
  // One context: each page (tab) still has its own sessionStorage and in-memory tokens.
  context = await browser.newContext();
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
});

async function signedIn(backend: Backend): Promise<Page> {
  const page = await context.newPage();
  await script(page, backend);
  await page.goto(web.url);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'My photos' }).waitFor();
  return page;
}

const backendWith = (images: ImageItem[]): Backend => ({
  images,
  likes: 0,
  deleted: [],
  tokenRequests: [],
  tokenValid: true,
});

describe.skipIf(reason)('the web app in Chromium (scripted API and provider)', () => {
  it('signs in with Authorization Code + PKCE: the verifier it redeems hashes to the challenge it sent', async () => {
    const backend = backendWith([]);
    const page = await signedIn(backend);
    const [token] = backend.tokenRequests;
    expect(token?.get('grant_type')).toBe('authorization_code');
    expect(token?.get('client_id')).toBe('web-client');
    expect(token?.get('redirect_uri')).toBe(`${web.origin}/callback`);
    const verifier = token?.get('code_verifier') ?? '';
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(backend.challenge);
    expect(page.url()).toBe(web.url); // the code is gone from the address bar
    await page.getByText('No photos yet').waitFor();
    await page.close();
  });

  it('turns a processing tile into its thumbnail without a reload, and says why an image failed', async () => {
    const pending: ImageItem = { image_id: 'p1', status: 'pending', createdAt: '2026-01-02T00:00:00Z' };
    const failed: ImageItem = {
      image_id: 'f1',
      status: 'failed',
      createdAt: '2026-01-01T00:00:00Z',
      error: 'not a decodable image',
    };
    const backend = backendWith([pending, failed]);
    const page = await signedIn(backend);
    await page.getByText('Processing…').waitFor();
    await page.getByText('Could not be processed: not a decodable image').waitFor();
    const ready: ImageItem = {
      ...pending,
      status: 'ready',
      width: 200,
      height: 200,
      thumbnails: [{ size: 200, key: 't', width: 200, height: 200, url: 'http://cdn.test/t.jpg' }],
    };
    backend.images = [ready, failed];
    const img = page.locator('li[data-image-id="p1"] img');
    await img.waitFor();
    await page.waitForFunction(
      () => (document.querySelector('li[data-image-id="p1"] img') as HTMLImageElement)?.complete,
    );
    const shot = await img.screenshot({ path: path.join(SCREENSHOTS, 'ui-gallery.png') });
    expect(nearest(await bandColor(shot, 0.05, 0.4), { RED, BLUE })).toBe('RED');
    expect(nearest(await bandColor(shot, 0.6, 0.95), { RED, BLUE })).toBe('BLUE');
    expect(await img.getAttribute('alt')).toMatch(/^Photo uploaded .*200×200$/);
    await page.close();
  });

  it('refuses a file that is not a photo, in words', async () => {
    const backend = backendWith([]);
    const page = await signedIn(backend);
    await page.setInputFiles('#file-input', {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hi'),
    });
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'notes.txt is not a photo Snapstack accepts',
    );
    await page.close();
  });

  it('takes files dropped on the drop zone', async () => {
    const page = await signedIn(backendWith([]));
    // A drop carries a DataTransfer of files; the page builds one as a drag from the desktop would.
    await page.locator('.dropzone').evaluate((zone) => {
      const data = new DataTransfer();
      data.items.add(new File(['hello'], 'dropped.txt', { type: 'text/plain' }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await expect(page.getByRole('alert').textContent()).resolves.toContain('dropped.txt is not a photo');
    await page.close();
  });

  it('deletes only after confirmation', async () => {
    const item: ImageItem = {
      image_id: 'gone',
      status: 'failed',
      createdAt: '2026-01-01T00:00:00Z',
      error: 'x',
    };
    const backend = backendWith([item]);
    const page = await signedIn(backend);
    await page.locator('li[data-image-id="gone"] button').click();
    // The confirmation is not on screen until asked for: no one-click delete.
    await page.getByRole('button', { name: 'Delete…' }).waitFor();
    expect(await page.getByRole('button', { name: 'Yes, delete' }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Delete…' }).click();
    expect(backend.deleted).toEqual([]);
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.locator('li[data-image-id="gone"]').waitFor({ state: 'detached' });
    expect(backend.deleted).toEqual(['gone']);
    await page.close();
  });

  it('likes a user and shows the count the API reports', async () => {
    const backend = backendWith([]);
    const page = await signedIn(backend);
    await page.getByRole('link', { name: 'People' }).click();
    const count = page.locator('li[data-user-id="u1"] .likes');
    await count.getByText('0 likes').waitFor();
    // One page of people and no cursor: nothing more to show.
    expect(await page.getByRole('button', { name: 'Show more people' }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Like Ada', exact: true }).click();
    await count.getByText('1 like', { exact: true }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ui-people.png'), fullPage: true });
    await page.getByRole('button', { name: 'Unlike Ada' }).click();
    await count.getByText('0 likes').waitFor();
    await page.close();
  });

  it('shows a clear signed-out state when the API stops accepting the token, and after sign-out', async () => {
    const backend = backendWith([]);
    const page = await signedIn(backend);
    backend.tokenValid = false;
    // The people page reads /people with the token too, so its first read ends the session.
    await page.getByRole('link', { name: 'People' }).click();
    await page.getByText('Your session ended. Sign in again to continue.').waitFor();
    backend.tokenValid = true;
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    await page.close();
  });
});
