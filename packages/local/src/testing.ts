/**
 * Test support: starts an isolated local runner (in-memory emulators, free port) and offers a
 * small JSON client over real HTTP. Every test file gets its own runner, so tests never share data.
 *
 * `request()` authenticates like a well-behaved client by default: it sends the runner's API key
 * (`x-api-key`) and a dev token carrying every scope the route table uses. Pass `anonymous: true`
 * to send neither, or your own `authorization` / `x-api-key` headers to replace them.
 *
 * @example
 * const app = await startTestRunner();
 * const res = await app.request('POST', '/users', { json: { name: 'Ada', age: 36, email: 'a@b.io' } });
 * const reader = await app.token({ sub: 'bob', scope: '' });
 * const ada = await app.signIn('ada@example.com'); // a person's access token from the local OpenID provider
 * await app.request('DELETE', `/users/${res.body.id}`, { headers: { authorization: `Bearer ${reader}` } }); // 403
 */
import { routeScopes } from '@snapstack/domain/routes';
import { type DevTokenClaims, signDevToken } from './cli/credentials.js';
import { devLogin } from './oidc/dev-login.js';
import { createServer, type LocalRunner, type LocalRunnerOptions } from './server.js';

export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON (undefined when empty); `any` so assertions can reach into it. */
  // biome-ignore lint/suspicious/noExplicitAny: test responses are asserted on, not trusted
  readonly body: any;
}

export interface RequestOptions {
  json?: unknown;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
  /** Send no default credentials (neither the dev token nor the API key). */
  anonymous?: boolean;
}

export interface TestRunner extends LocalRunner {
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  /** A dev JWT this runner's authorizer accepts. Defaults: sub `dev-user`, no scopes, 1 h. */
  token(claims?: DevTokenClaims): Promise<string>;
  /** Headers that authenticate as `sub` with a bearer token carrying every scope. */
  as(sub: string): Promise<Record<string, string>>;
  /**
   * Signs `email` in at the runner's local OpenID provider (PKCE, the dev login page) and returns
   * the access token: a person's token, as in AWS; its `sub` is the same for the same email.
   * Default scope: every route scope (as `snapstack/<scope>`) and `openid email`.
   */
  signIn(email: string, scope?: string): Promise<string>;
  /** The local usage plan's API key. */
  readonly apiKey: string;
}

export const TEST_SUBJECT = 'test-user';

export async function startTestRunner(options: LocalRunnerOptions = {}): Promise<TestRunner> {
  const runner = await createServer({
    port: 0,
    dataDir: undefined,
    watch: false,
    log: () => undefined,
    ...options,
  });
  const token = (claims: DevTokenClaims = {}) => signDevToken(runner.credentials.jwtSecret, claims);
  const fullAccess = await token({ sub: TEST_SUBJECT, scope: routeScopes().join(' ') });
  return {
    ...runner,
    close: () => runner.close(),
    authorizerInvocations: () => runner.authorizerInvocations(),
    apiKey: runner.credentials.apiKey,
    token,
    as: async (sub) => ({
      authorization: `Bearer ${await token({ sub, scope: routeScopes().join(' ') })}`,
    }),
    signIn: async (email, scope) =>
      (await devLogin({ issuer: runner.oidc.issuer, email, ...(scope !== undefined ? { scope } : {}) }))
        .accessToken,
    async request(method, path, { json, body, headers = {}, anonymous = false } = {}) {
      const given = new Set(Object.keys(headers).map((h) => h.toLowerCase()));
      const defaults: Record<string, string> = {};
      if (!anonymous && !given.has('authorization') && !given.has('x-api-key')) {
        defaults.authorization = `Bearer ${fullAccess}`;
        defaults['x-api-key'] = runner.credentials.apiKey;
      }
      const res = await fetch(`${runner.url}${path}`, {
        method,
        headers: {
          ...defaults,
          ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(json !== undefined ? { body: JSON.stringify(json) } : body !== undefined ? { body } : {}),
      });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, headers: res.headers, text, body: parsed };
    },
  };
}

/**
 * `pnpm dev` options that put each of a spawned runner's listeners (API, S3, thumbnail delivery,
 * OpenID provider, web app) on a free port, so runners started by tests and benches never collide.
 */
export const FREE_PORT_OPTIONS: readonly string[] = [
  '--port',
  '0',
  '--s3-port',
  '0',
  '--delivery-port',
  '0',
  '--oidc-port',
  '0',
  '--web-port',
  '0',
];
