/**
 * Signs in at the local OpenID provider as a browser would, over HTTP: Authorization Code with
 * PKCE through `oauth4webapi` (the client side, as the web app will do it), with the dev login
 * page's form filled in and posted, cookies kept between requests, and redirects followed until
 * the provider sends the browser back to the redirect URI with the code. Used by `pnpm login`
 * (cli/login-cli.ts) and the tests.
 *
 * @example
 * const { accessToken } = await devLogin({ issuer: 'http://127.0.0.1:3001', email: 'ada@example.com' });
 */
import * as oauth from 'oauth4webapi';
import { CALLBACK_PATH, LOCAL_CLIENT_ID, resourceServerScopes } from './client.js';

/** Plain http is fine: the provider only listens on loopback. */
const LOCAL = { [oauth.allowInsecureRequests]: true } as const;

export class DevLoginError extends Error {}

export async function discover(issuer: string): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  return oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, LOCAL));
}

export interface AuthorizeOptions {
  readonly as: oauth.AuthorizationServer;
  readonly email: string;
  readonly codeChallenge: string;
  readonly state: string;
  readonly scope?: string;
  readonly clientId?: string;
  readonly redirectUri?: string;
}

/** The default: every route scope, plus OpenID's (an ID token with the email). */
export function defaultScope(): string {
  return ['openid', 'email', ...resourceServerScopes()].join(' ');
}

/** A loopback redirect URI of the local client (any port matches; nothing needs to listen on it). */
export const CLI_REDIRECT_URI = `http://127.0.0.1${CALLBACK_PATH}`;

/**
 * From the authorization request to the redirect back: returns the URL the provider sent the
 * browser to (`?code=...&state=...&iss=...`, or `?error=...`).
 */
export async function authorizeWithDevLogin(options: AuthorizeOptions): Promise<URL> {
  const redirectUri = options.redirectUri ?? CLI_REDIRECT_URI;
  const endpoint = options.as.authorization_endpoint;
  if (!endpoint) throw new DevLoginError('the provider has no authorization endpoint');
  const authorize = new URL(endpoint);
  for (const [key, value] of Object.entries({
    client_id: options.clientId ?? LOCAL_CLIENT_ID,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: options.scope ?? defaultScope(),
    code_challenge: options.codeChallenge,
    code_challenge_method: 'S256',
    state: options.state,
  }))
    authorize.searchParams.set(key, value);

  const cookies = new Map<string, string>();
  const send = async (url: URL, init: RequestInit = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        ...(cookies.size > 0 ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
      },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      if (at > 0) cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return res;
  };
  const isCallback = (url: URL) => `${url.origin}${url.pathname}` === redirectUri;

  let url = authorize;
  let res = await send(url);
  let posted = false;
  for (let hops = 0; hops < 10; hops += 1) {
    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.get('location');
      if (!location) throw new DevLoginError(`${res.status} from ${url.pathname} without a Location`);
      url = new URL(location, url);
      await res.body?.cancel();
      if (isCallback(url)) return url;
      res = await send(url);
      continue;
    }
    const page = await res.text();
    if (res.status !== 200 || posted)
      throw new DevLoginError(`sign-in failed at ${url.pathname}: ${res.status} ${page.slice(0, 300)}`);
    // The login page: post its form as a browser would.
    const action = /<form[^>]*\saction="([^"]*)"/.exec(page)?.[1]?.replaceAll('&amp;', '&');
    if (action === undefined) throw new DevLoginError(`no sign-in form at ${url.pathname}`);
    url = new URL(action, url);
    res = await send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: options.email }).toString(),
    });
    posted = true;
  }
  throw new DevLoginError('sign-in did not come back to the redirect URI');
}

export interface DevLoginResult {
  readonly accessToken: string;
  readonly idToken?: string;
  readonly expiresIn?: number;
  readonly scope?: string;
}

/** The whole sign-in: discovery, PKCE, the dev login page, and the code exchange. */
export async function devLogin(options: {
  issuer: string;
  email: string;
  scope?: string;
}): Promise<DevLoginResult> {
  const as = await discover(options.issuer);
  const client: oauth.Client = { client_id: LOCAL_CLIENT_ID };
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const callback = await authorizeWithDevLogin({
    as,
    email: options.email,
    state,
    codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
    ...(options.scope !== undefined ? { scope: options.scope } : {}),
  });
  const params = oauth.validateAuthResponse(as, client, callback, state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    CLI_REDIRECT_URI,
    verifier,
    LOCAL,
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
  return {
    accessToken: tokens.access_token,
    ...(tokens.id_token !== undefined ? { idToken: tokens.id_token } : {}),
    ...(tokens.expires_in !== undefined ? { expiresIn: tokens.expires_in } : {}),
    ...(tokens.scope !== undefined ? { scope: tokens.scope } : {}),
  };
}

export { LOCAL };
