/**
 * Sign-out's two ways of ending the provider's session: config.json's `signOutUrl` (Cognito's
 * `/logout`, which its discovery document does not announce) and RP-initiated logout at the
 * discovered `end_session_endpoint`. The provider is scripted at its HTTP port (the fetch the
 * Auth is given): the sign-in before each sign-out is the real Authorization Code + PKCE code.
 */
import { describe, expect, it } from 'vitest';
import { Auth, type SignedOutReason } from '../src/auth.js';
import type { WebConfig } from '../src/config.js';

const ISSUER = 'https://login.test';
const CLIENT_ID = 'web-client';
const REDIRECT_URI = 'https://app.test/callback';
const COGNITO_LOGOUT = `${ISSUER}/logout?client_id=${CLIENT_ID}&logout_uri=${encodeURIComponent('https://app.test/')}`;

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** An ID token whose claims pass the client's checks (a token endpoint's answer is trusted over TLS, not re-verified). */
function idToken(): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: ISSUER,
    aud: CLIENT_ID,
    sub: 'ada',
    email: 'ada@example.com',
    iat: now,
    exp: now + 3600,
  };
  return `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url(claims)}.c2ln`;
}

/** A provider at its HTTP port: discovery (with or without RP-initiated logout) and the token endpoint. */
function provider(options: { endSession: boolean }) {
  const requests: string[] = [];
  const fetcher = (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    requests.push(url.pathname);
    const json = (body: unknown) =>
      new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    if (url.pathname === '/.well-known/openid-configuration')
      return json({
        issuer: ISSUER,
        authorization_endpoint: `${ISSUER}/oauth2/authorize`,
        token_endpoint: `${ISSUER}/oauth2/token`,
        ...(options.endSession ? { end_session_endpoint: `${ISSUER}/session/end` } : {}),
      });
    if (url.pathname === '/oauth2/token')
      return json({ access_token: 'at', token_type: 'Bearer', expires_in: 3600, id_token: idToken() });
    return new Response('not found', { status: 404 });
  }) as typeof fetch;
  return { fetcher, requests };
}

/** sessionStorage's part that sign-in uses, in memory. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key: string) => items.get(key) ?? null,
    key: (index: number) => [...items.keys()][index] ?? null,
    removeItem: (key: string) => void items.delete(key),
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

/** Signs in through the scripted provider and returns the Auth, what it told listeners, and the provider. */
async function signedIn(oidc: Partial<WebConfig['oidc']>, options: { endSession: boolean }) {
  const { fetcher, requests } = provider(options);
  const config: WebConfig['oidc'] = {
    issuer: ISSUER,
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    scopes: ['openid', 'email'],
    ...oidc,
  };
  const auth = new Auth(config, memoryStorage(), fetcher);
  const changes: (SignedOutReason | 'signed-in')[] = [];
  auth.onChange((session, reason) => changes.push(session ? 'signed-in' : (reason ?? 'signed-out')));
  let authorize = '';
  await auth.signIn((url) => {
    authorize = url;
  });
  const back = new URL(REDIRECT_URI);
  back.searchParams.set('code', 'the-code');
  back.searchParams.set('state', new URL(authorize).searchParams.get('state') ?? '');
  await auth.completeSignIn(back);
  expect(auth.current?.idToken).toBeDefined();
  return { auth, changes, requests };
}

describe('Auth.signOut', () => {
  it('with a signOutUrl, forgets the tokens and goes exactly there, even where RP-initiated logout is offered', async () => {
    const { auth, changes, requests } = await signedIn(
      { signOutUrl: COGNITO_LOGOUT, postLogoutRedirectUri: 'https://app.test/' },
      { endSession: true },
    );
    const asked = requests.length;
    const visited: string[] = [];
    await auth.signOut((url) => visited.push(url));
    expect(auth.current).toBeUndefined();
    expect(changes).toEqual(['signed-in', 'signed-out']);
    expect(visited).toEqual([COGNITO_LOGOUT]);
    expect(requests).toHaveLength(asked);
  });

  it('without one, forgets the tokens and ends the session at the discovered end_session_endpoint', async () => {
    const { auth, changes } = await signedIn(
      { postLogoutRedirectUri: 'https://app.test/' },
      { endSession: true },
    );
    const hint = auth.current?.idToken;
    const visited: string[] = [];
    await auth.signOut((url) => visited.push(url));
    expect(auth.current).toBeUndefined();
    expect(changes).toEqual(['signed-in', 'signed-out']);
    expect(visited).toHaveLength(1);
    const logout = new URL(visited[0] ?? '');
    expect(`${logout.origin}${logout.pathname}`).toBe(`${ISSUER}/session/end`);
    expect(Object.fromEntries(logout.searchParams)).toEqual({
      client_id: CLIENT_ID,
      post_logout_redirect_uri: 'https://app.test/',
      id_token_hint: hint,
    });
  });

  it('without either, only forgets the tokens where discovery names no end_session_endpoint (Cognito)', async () => {
    const { auth, changes } = await signedIn(
      { postLogoutRedirectUri: 'https://app.test/' },
      { endSession: false },
    );
    const visited: string[] = [];
    await auth.signOut((url) => visited.push(url));
    expect(auth.current).toBeUndefined();
    expect(changes).toEqual(['signed-in', 'signed-out']);
    expect(visited).toEqual([]);
  });
});
