import { matchPath } from '@snapstack/domain/path-template';
import { routes } from '@snapstack/domain/routes';
import { describe, expect, it } from 'vitest';
import { createApi, errorMessage } from '../src/api.js';

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
}

/** The app's API client over `fetcher`, signed in with token `t`. */
const apiOver = (fetcher: typeof fetch, onUnauthorized: () => void = () => {}) =>
  createApi({ baseUrl: 'https://api.test', token: () => 't', onUnauthorized, fetcher });

/** Every call the app makes, recorded instead of sent. */
async function everyCall(): Promise<Sent[]> {
  const sent: Sent[] = [];
  const fetcher = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    sent.push({
      method: init?.method ?? 'GET',
      path: url.pathname,
      headers: (init?.headers ?? {}) as Record<string, string>,
    });
    return new Response('{}', { status: 200 });
  }) as typeof fetch;
  const api = apiOver(fetcher);
  await api.listImages();
  await api.listImages('next');
  await api.deleteImage('a b');
  await api.original('a b');
  await api.createUpload('image/jpeg', 10);
  await api.listUsers();
  await api.getUser('u/1');
  await api.like('u');
  await api.unlike('u');
  return sent;
}

describe('the API calls of the web app', () => {
  // The app's config.json is public: it holds no usage-plan key, so every call must be a jwt route.
  it('are each a jwt route of the route table, sent with the signed-in token and no API key', async () => {
    const sent = await everyCall();
    expect(sent).toHaveLength(9);
    for (const call of sent) {
      const route = routes.find((r) => r.method === call.method && matchPath(r.path, call.path));
      expect(route, `${call.method} ${call.path} is not in the route table`).toBeDefined();
      expect(route?.auth.kind, `${call.method} ${call.path}`).toBe('jwt');
      expect(call.headers.authorization).toBe('Bearer t');
      expect(call.headers['x-api-key']).toBeUndefined();
    }
  });

  it('percent-encodes ids into one path segment', async () => {
    const sent = await everyCall();
    expect(sent.map((s) => s.path)).toContain('/people/u%2F1');
    expect(sent.map((s) => s.path)).toContain('/images/a%20b');
  });
});

describe('errorMessage', () => {
  it.each([
    [413, { message: 'images may be at most 26214400 bytes' }, 'images may be at most 26214400 bytes'],
    [
      400,
      { message: 'Invalid request body', errors: ['bytes must be >= 1'] },
      'Invalid request body: bytes must be >= 1',
    ],
    [403, undefined, 'You are not allowed to do that. Sign in again.'],
    [502, 'not json', 'The server failed. Try again in a moment.'],
    [404, {}, 'The request was refused (HTTP 404).'],
  ])('HTTP %i with %j says %j', (status, body, words) => {
    expect(errorMessage(status, body)).toBe(words);
  });
});

describe('createApi', () => {
  it('ends the session on a 401 and throws the API’s words', async () => {
    let ended = 0;
    const fetcher = (async () =>
      new Response(JSON.stringify({ message: 'Unauthorized' }), { status: 401 })) as unknown as typeof fetch;
    const api = apiOver(fetcher, () => ended++);
    await expect(api.listImages()).rejects.toMatchObject({ status: 401, message: 'Unauthorized' });
    expect(ended).toBe(1);
  });

  it('says the API is unreachable when the request cannot be sent', async () => {
    const fetcher = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const api = apiOver(fetcher);
    await expect(api.listUsers()).rejects.toMatchObject({
      status: 0,
      message: expect.stringMatching(/could not be reached/),
    });
  });
});
