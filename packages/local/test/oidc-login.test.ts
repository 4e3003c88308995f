/**
 * Signing in at the runner's local OpenID provider, over HTTP, as the web app will: discovery,
 * an Authorization Code request with PKCE (oauth4webapi, the client library), the dev login
 * page's form, the code exchange; then the access token on the API, through the local
 * authorizer in JWKS mode (the code path a Cognito token takes in AWS).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { routeScopes } from '@snapstack/domain/routes';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeEmail, subjectOf } from '../src/oidc/accounts.js';
import { LOCAL_CLIENT_ID } from '../src/oidc/client.js';
import {
  authorizeWithDevLogin,
  CLI_REDIRECT_URI,
  DevLoginError,
  devLogin,
  discover,
  LOCAL,
} from '../src/oidc/dev-login.js';
import { loadProviderKeys, OIDC_KEYS_FILE } from '../src/oidc/keys.js';
import { startTestRunner, type TestRunner } from '../src/testing.js';

let app: TestRunner;
let as: oauth.AuthorizationServer;
const client: oauth.Client = { client_id: LOCAL_CLIENT_ID };

beforeAll(async () => {
  app = await startTestRunner();
  as = await discover(app.oidc.issuer);
}, 60_000);
afterAll(() => app?.close());

const person = () => `ada-${randomUUID()}@example.com`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const newUser = () => ({ name: 'Ada Lovelace', age: 36, email: 'ada@example.com' });

/** Authorization request, dev login page and redirect: the callback URL and the PKCE verifier. */
async function authorize(email: string, scope?: string) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const callback = await authorizeWithDevLogin({
    as,
    email,
    state,
    codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
    ...(scope !== undefined ? { scope } : {}),
  });
  return { params: oauth.validateAuthResponse(as, client, callback, state), verifier };
}

/** The local client's authorization request for `openid`, with `extra` parameters. */
function authorizationUrl(extra: Record<string, string> = {}): URL {
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: LOCAL_CLIENT_ID,
    redirect_uri: CLI_REDIRECT_URI,
    response_type: 'code',
    scope: 'openid',
    ...extra,
  }).toString();
  return url;
}

async function exchange(params: URLSearchParams, verifier: string) {
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    CLI_REDIRECT_URI,
    verifier,
    LOCAL,
  );
  return oauth.processAuthorizationCodeResponse(as, client, response);
}

describe('the local OpenID provider', () => {
  it('publishes discovery: its issuer, JWKS, the code flow with PKCE S256 only', () => {
    expect(as).toMatchObject({
      issuer: app.oidc.issuer,
      jwks_uri: app.oidc.jwksUrl,
      authorization_endpoint: `${app.oidc.issuer}/auth`,
      token_endpoint: `${app.oidc.issuer}/token`,
      response_types_supported: expect.arrayContaining(['code']),
      code_challenge_methods_supported: ['S256'],
    });
  });

  it('signs a person in with PKCE, and the access token calls a jwt route through the authorizer', async () => {
    const email = person();
    const { params, verifier } = await authorize(email);
    const tokens = await exchange(params, verifier);
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    const res = await app.request('POST', '/users', {
      headers: bearer(tokens.access_token),
      json: newUser(),
    });
    expect(res.status).toBe(201);
    expect(res.body.createdBy).toBe(subjectOf(email));
  });

  it('issues RS256 access tokens that verify against its JWKS, with the claims of a Cognito access token', async () => {
    const email = person();
    const { accessToken } = await devLogin({ issuer: app.oidc.issuer, email });
    const { payload, protectedHeader } = await jwtVerify(
      accessToken,
      createRemoteJWKSet(new URL(app.oidc.jwksUrl)),
      { issuer: app.oidc.issuer, algorithms: ['RS256'] },
    );
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    const sub = subjectOf(email);
    expect(payload).toMatchObject({
      sub,
      username: sub,
      token_use: 'access',
      client_id: LOCAL_CLIENT_ID,
      version: 2,
      auth_time: expect.any(Number),
      iat: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.any(String),
      origin_jti: expect.any(String),
      event_id: expect.any(String),
    });
    expect(String(payload.scope).split(' ').sort()).toEqual(routeScopes().map((s) => `snapstack/${s}`));
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('refuses the code with the wrong PKCE verifier', async () => {
    const { params } = await authorize(person());
    await expect(exchange(params, oauth.generateRandomCodeVerifier())).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('refuses a code used twice', async () => {
    const { params, verifier } = await authorize(person());
    await exchange(params, verifier);
    await expect(exchange(params, verifier)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses an authorization request without PKCE', async () => {
    const url = authorizationUrl();
    const res = await fetch(url, { redirect: 'manual' });
    const back = new URL(res.headers.get('location') ?? '', url);
    expect(`${back.origin}${back.pathname}`).toBe(CLI_REDIRECT_URI);
    expect(back.searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses a redirect URI that is not registered', async () => {
    await expect(
      authorizeWithDevLogin({
        as,
        email: person(),
        state: 's',
        codeChallenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()),
        redirectUri: 'http://evil.example/callback',
      }),
    ).rejects.toBeInstanceOf(DevLoginError);
  });

  it('gives the same person the same sub at every sign-in, whatever the case of the email', async () => {
    const email = person();
    const first = decodeJwt((await devLogin({ issuer: app.oidc.issuer, email })).accessToken);
    const second = decodeJwt(
      (await devLogin({ issuer: app.oidc.issuer, email: ` ${email.toUpperCase()} ` })).accessToken,
    );
    const other = decodeJwt((await devLogin({ issuer: app.oidc.issuer, email: person() })).accessToken);
    expect(second.sub).toBe(first.sub);
    expect(other.sub).not.toBe(first.sub);
    expect(first.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('grants only the scopes asked for: a token without users:write gets 403 on POST /users', async () => {
    const { accessToken, scope } = await devLogin({
      issuer: app.oidc.issuer,
      email: person(),
      scope: 'openid snapstack/images:write',
    });
    expect(scope).toBe('snapstack/images:write');
    const res = await app.request('POST', '/users', { headers: bearer(accessToken), json: newUser() });
    expect(res.status).toBe(403);
  });

  it('its ID token is not an access token: 401 at the API', async () => {
    const { idToken } = await devLogin({ issuer: app.oidc.issuer, email: person() });
    expect(decodeProtectedHeader(idToken!).alg).toBe('RS256');
    const res = await app.request('POST', '/users', { headers: bearer(idToken!), json: newUser() });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Unauthorized' });
  });

  it("startTestRunner().signIn() gives a person's access token, the same sub per email", async () => {
    const email = person();
    const token = await app.signIn(email);
    const res = await app.request('POST', '/users', { headers: bearer(token), json: newUser() });
    expect(res.status).toBe(201);
    expect(res.body.createdBy).toBe(decodeJwt(await app.signIn(email)).sub);
    expect(decodeJwt(await app.signIn(email, 'openid')).scope).toBeUndefined();
  });

  it('the shared-secret tokens of `pnpm token` keep working next to it', async () => {
    const res = await app.request('POST', '/users', { headers: await app.as('machine'), json: newUser() });
    expect(res.status).toBe(201);
    expect(res.body.createdBy).toBe('machine');
  });

  it('answers a login form without a usable email with 400 and the form again', async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const url = authorizationUrl({
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const start = await fetch(url, { redirect: 'manual' });
    const cookie = start.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const login = new URL(start.headers.get('location')!, url);
    const page = await fetch(login, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="email"');
    const bad = await fetch(login, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=%3Cscript%3E',
    });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('Enter an email address.');
    expect(html).toContain('value="&lt;script&gt;"');
    // Without the interaction's cookie (another browser, an expired sign-in): 400, not a 500.
    const lost = await fetch(login);
    expect(lost.status).toBe(400);
  });
});

describe('dev sign-in helpers', () => {
  it('normalizes emails and refuses what is not one', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
    for (const bad of ['', 'ada', 'ada@', '@example.com', 'a b@example.com', `${'a'.repeat(250)}@ex.com`])
      expect(normalizeEmail(bad), bad).toBeUndefined();
  });

  it('keeps the provider keys in the data directory, owner-only, and reuses them', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'snapstack-oidc-'));
    try {
      const first = await loadProviderKeys(dataDir);
      expect(statSync(path.join(dataDir, OIDC_KEYS_FILE)).mode & 0o777).toBe(0o600);
      expect(await loadProviderKeys(dataDir)).toEqual(first);
      expect((await loadProviderKeys(undefined)).signingKey.kid).not.toBe(first.signingKey.kid);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
