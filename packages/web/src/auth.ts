/**
 * Sign-in with Authorization Code + PKCE (oauth4webapi) against the stage's OpenID provider:
 * Cognito in AWS, the runner's local provider under `pnpm dev`. A public client: no secret.
 *
 * Tokens live in this module's memory only — never in storage — so a reload or a new tab signs
 * the person out, and nothing a script injected later could read survives the page. Only the
 * PKCE verifier and the state (worthless once the code is redeemed) cross the redirect, in
 * sessionStorage. When the access token expires the session ends with a clear message; there is
 * no refresh token to renew it silently with.
 */
import * as oauth from 'oauth4webapi';
import type { WebConfig } from './config.js';

export interface Session {
  readonly accessToken: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  /** What to show for the person: the ID token's email, else its subject. */
  readonly who: string;
  readonly idToken?: string;
}

export type SignedOutReason = 'signed-out' | 'expired' | 'failed';

const PENDING_KEY = 'snapstack.signin';

interface PendingSignIn {
  readonly state: string;
  readonly codeVerifier: string;
}

export class Auth {
  private session: Session | undefined;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private server: Promise<oauth.AuthorizationServer> | undefined;
  private readonly listeners = new Set<(session: Session | undefined, reason?: SignedOutReason) => void>();

  constructor(
    private readonly config: WebConfig['oidc'],
    private readonly storage: Storage = sessionStorage,
    /** How requests reach the provider (discovery, token endpoint); the browser's fetch by default. */
    private readonly fetcher?: typeof fetch,
  ) {}

  /** Loopback providers (the local one) speak plain HTTP; oauth4webapi refuses that unless told. */
  private requestOptions(issuer: URL) {
    return {
      ...(issuer.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {}),
      ...(this.fetcher ? { [oauth.customFetch]: this.fetcher } : {}),
    };
  }

  get current(): Session | undefined {
    return this.session;
  }

  onChange(listener: (session: Session | undefined, reason?: SignedOutReason) => void): void {
    this.listeners.add(listener);
  }

  private discover(): Promise<oauth.AuthorizationServer> {
    const issuer = new URL(this.config.issuer);
    this.server ??= oauth
      .discoveryRequest(issuer, this.requestOptions(issuer))
      .then((response) => oauth.processDiscoveryResponse(issuer, response))
      .catch((error: unknown) => {
        this.server = undefined; // a provider that was down may be up on the next try
        throw error;
      });
    return this.server;
  }

  private client(): oauth.Client {
    return { client_id: this.config.clientId };
  }

  /** Sends the browser to the provider's sign-in page. */
  async signIn(navigate: (url: string) => void = (url) => window.location.assign(url)): Promise<void> {
    const server = await this.discover();
    if (!server.authorization_endpoint) throw new Error('the OpenID provider has no authorization endpoint');
    const pending: PendingSignIn = {
      state: oauth.generateRandomState(),
      codeVerifier: oauth.generateRandomCodeVerifier(),
    };
    this.storage.setItem(PENDING_KEY, JSON.stringify(pending));
    const url = new URL(server.authorization_endpoint);
    url.searchParams.set('client_id', this.config.clientId);
    url.searchParams.set('redirect_uri', this.config.redirectUri);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', this.config.scopes.join(' '));
    url.searchParams.set('state', pending.state);
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(pending.codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
    navigate(url.href);
  }

  /** True when `location` carries an authorization response (`code`/`error` and `state`). */
  static isCallback(location: URL): boolean {
    return (
      location.searchParams.has('state') &&
      (location.searchParams.has('code') || location.searchParams.has('error'))
    );
  }

  /** Redeems the code in `location` for tokens (the redirect back from the provider). */
  async completeSignIn(location: URL, now: () => number = Date.now): Promise<Session> {
    const raw = this.storage.getItem(PENDING_KEY);
    this.storage.removeItem(PENDING_KEY);
    if (!raw) throw new Error('this sign-in was not started here (or was already used); sign in again');
    const pending = JSON.parse(raw) as PendingSignIn;
    const server = await this.discover();
    const issuer = new URL(this.config.issuer);
    const params = oauth.validateAuthResponse(server, this.client(), location, pending.state);
    const response = await oauth.authorizationCodeGrantRequest(
      server,
      this.client(),
      oauth.None(),
      params,
      this.config.redirectUri,
      pending.codeVerifier,
      this.requestOptions(issuer),
    );
    const result = await oauth.processAuthorizationCodeResponse(server, this.client(), response);
    const claims = result.id_token ? oauth.getValidatedIdTokenClaims(result) : undefined;
    const expiresIn = result.expires_in ?? 3600;
    const session: Session = {
      accessToken: result.access_token,
      expiresAt: now() + expiresIn * 1000,
      who: (typeof claims?.email === 'string' && claims.email) || claims?.sub || 'signed in',
      ...(result.id_token ? { idToken: result.id_token } : {}),
    };
    this.start(session);
    return session;
  }

  private start(session: Session): void {
    this.session = session;
    clearTimeout(this.expiryTimer);
    // setTimeout's delay is a 32-bit integer: a longer session is checked again later.
    const delay = Math.min(Math.max(session.expiresAt - Date.now(), 0), 2 ** 31 - 1);
    this.expiryTimer = setTimeout(() => this.end('expired'), delay);
    for (const listener of this.listeners) listener(session);
  }

  /** Forgets the tokens; `expired` when the API or the clock says the access token is no longer good. */
  end(reason: SignedOutReason): void {
    clearTimeout(this.expiryTimer);
    const had = this.session !== undefined;
    this.session = undefined;
    if (had || reason !== 'signed-out') for (const listener of this.listeners) listener(undefined, reason);
  }

  /**
   * Signs out here and at the provider too, so the next sign-in asks who you are instead of
   * reusing the provider's session: at config.json's `signOutUrl` when it names one (Cognito's
   * `/logout`, which discovery does not announce), else by RP-initiated logout when config.json
   * names a registered post-logout URI and the provider offers it. A provider refuses an
   * unregistered post-logout URI, so with neither the app only forgets its tokens.
   */
  async signOut(navigate: (url: string) => void = (url) => window.location.assign(url)): Promise<void> {
    const idToken = this.session?.idToken;
    this.end('signed-out');
    if (this.config.signOutUrl) {
      navigate(this.config.signOutUrl);
      return;
    }
    const back = this.config.postLogoutRedirectUri;
    if (!back) return;
    const server = await this.discover().catch(() => undefined);
    if (!server?.end_session_endpoint) return;
    const url = new URL(server.end_session_endpoint);
    url.searchParams.set('client_id', this.config.clientId);
    url.searchParams.set('post_logout_redirect_uri', back);
    if (idToken) url.searchParams.set('id_token_hint', idToken);
    navigate(url.href);
  }
}
