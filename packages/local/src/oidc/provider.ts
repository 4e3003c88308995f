/**
 * The local OpenID provider `pnpm dev` starts, so people sign in locally the way they will at
 * the stage's Cognito user pool, and the local authorizer verifies their tokens through the same
 * JWKS path as in AWS. Built on `oidc-provider` (a certified OpenID Connect server):
 *
 * - discovery (`/.well-known/openid-configuration`) and JWKS (`/jwks`): one RS256 key, kept in
 *   the data directory (oidc/keys.ts);
 * - Authorization Code with PKCE (S256; required, the client is public) for one client,
 *   `LOCAL_CLIENT_ID`, whose redirect URIs are loopback (`localClientRedirectUris`);
 * - access tokens that are RS256 JWTs shaped like Cognito's: `token_use: access`, `client_id`,
 *   `scope` with the route table's scopes as `snapstack/<scope>`, `username`, `auth_time`,
 *   `jti`, `origin_jti`, `event_id`, `version: 2`. Unlike Cognito they carry an `aud` (the
 *   resource server; the library requires one in JWT access tokens); the authorizer checks
 *   `client_id`, not `aud`, for user pool issuers, as it must for Cognito;
 * - a dev login page (oidc/login-page.ts): any email signs in, no password, no consent screen.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiSettings, corsOrigins } from '@snapstack/domain/api-settings';
import type { UserPoolEndpoints } from '@snapstack/domain/issuers';
import { routeScopes } from '@snapstack/domain/routes';
import type { Configuration, KoaContextWithOIDC, default as Provider } from 'oidc-provider';
import { listen } from '../emulators/support.js';
import { normalizeEmail, subjectOf } from './accounts.js';
import { loadProviderKeys } from './keys.js';
import { errorPage, loginPage } from './login-page.js';
import { memoryStore } from './memory-store.js';

type OidcLibrary = typeof import('oidc-provider');

/**
 * The library, loaded once. On import it warns on any Node.js older than 22 LTS; this repository
 * runs on Node 20 (package.json engines, CI), where the provider's features used here work and
 * are tested, so that one notice is dropped instead of printed on every `pnpm dev`.
 */
let library: Promise<OidcLibrary> | undefined;
function loadLibrary(): Promise<OidcLibrary> {
  library ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (!String(args[0]).includes('oidc-provider WARNING: Unsupported runtime')) warn(...args);
    };
    try {
      return await import('oidc-provider');
    } finally {
      console.warn = warn;
    }
  })();
  return library;
}

/** The public client of the web app and the command line (no secret: PKCE protects the code). */
export const LOCAL_CLIENT_ID = 'snapstack-local-web';

/** Where the client may be sent back: the path the web app and `pnpm login` use. */
export const CALLBACK_PATH = '/callback';

/**
 * The client's redirect URIs: the callback on each loopback web origin of the `dev` stage's CORS
 * list (the web app's dev server, `http://localhost:5173`), and `http://127.0.0.1/callback` for
 * command-line clients. The client is registered as a native application, so under RFC 8252
 * §7.3 any port of a loopback redirect URI matches: a CLI listens on whichever port is free.
 */
export function localClientRedirectUris(): string[] {
  const webOrigins = corsOrigins('dev').filter((origin) => {
    const { protocol, hostname } = new URL(origin);
    return protocol === 'http:' && (hostname === 'localhost' || hostname === '127.0.0.1');
  });
  return [...new Set([...webOrigins.map((o) => `${o}${CALLBACK_PATH}`), `http://127.0.0.1${CALLBACK_PATH}`])];
}

/** The resource server's scopes, as Cognito names them: `snapstack/images:write`. */
export function resourceServerScopes(): string[] {
  const { resourceServer } = apiSettings.authorizer.userPool;
  return routeScopes().map((scope) => `${resourceServer}/${scope}`);
}

/** Resource indicators are absolute URIs (RFC 8707); Cognito's identifier is the bare name. */
const RESOURCE_INDICATOR = `urn:${apiSettings.authorizer.userPool.resourceServer}`;
const ACCESS_TOKEN_TTL_SECONDS = 3600; // Cognito's default
const INTERACTION_PATH = '/interaction/';
/** A login form is one email field: anything longer is not one. */
const MAX_FORM_BYTES = 4096;

export interface LocalOidcProvider extends UserPoolEndpoints {
  readonly redirectUris: readonly string[];
  close(): Promise<void>;
}

export interface LocalOidcOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly dataDir: string | undefined;
  readonly log: (line: string) => void;
}

export async function startOidcProvider(options: LocalOidcOptions): Promise<LocalOidcProvider> {
  const keys = await loadProviderKeys(options.dataDir);
  // Listen first: the issuer URL names the port, and port 0 is only known once bound.
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503).end();
  };
  const server: Server = createServer((req, res) => handle(req, res));
  await listen(server, options.port);
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  try {
    const { port } = server.address() as AddressInfo;
    const issuer = `http://127.0.0.1:${port}`;
    const redirectUris = localClientRedirectUris();
    const emails = new Map<string, string>();
    const oidc = await loadLibrary();
    const provider = new oidc.Provider(issuer, configuration(oidc, keys, redirectUris, emails));
    provider.on('server_error', (_ctx: unknown, error: Error) =>
      options.log(`error: OpenID provider: ${error.stack ?? error.message}`),
    );
    const callback = provider.callback();
    handle = (req, res) => {
      const url = new URL(req.url ?? '/', issuer);
      if (!url.pathname.startsWith(INTERACTION_PATH)) {
        callback(req, res);
        return;
      }
      interaction(oidc, provider, emails, req, res).catch((error: unknown) => {
        options.log(`error: OpenID provider login: ${(error as Error)?.stack ?? String(error)}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('sign-in failed\n');
        else res.end();
      });
    };
    return {
      issuer,
      jwksUrl: `${issuer}/jwks`,
      clientId: LOCAL_CLIENT_ID,
      redirectUris,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function configuration(
  { errors, interactionPolicy }: OidcLibrary,
  keys: Awaited<ReturnType<typeof loadProviderKeys>>,
  redirectUris: readonly string[],
  emails: Map<string, string>,
): Configuration {
  const scope = resourceServerScopes().join(' ');
  // The library asks native clients for consent at every authorization (a loopback redirect URI
  // proves little about the app); this one local client is first-party, so it never does.
  const prompts = interactionPolicy.base();
  prompts.get('consent')?.checks.remove('native_client_prompt');
  return {
    adapter: memoryStore(),
    clients: [
      {
        client_id: LOCAL_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [...redirectUris],
      },
    ],
    jwks: { keys: [keys.signingKey] },
    cookies: { keys: [...keys.cookieKeys] },
    scopes: ['openid', 'email', 'profile'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['preferred_username'] },
    async findAccount(_ctx, sub) {
      const email = emails.get(sub);
      return {
        accountId: sub,
        claims: () => ({
          sub,
          ...(email !== undefined ? { email, email_verified: true, preferred_username: email } : {}),
        }),
      };
    },
    // The web app calls the token endpoint from its own origin: allow the client's redirect origins.
    clientBasedCORS: (_ctx, origin, client) =>
      client.redirectUris?.some((uri) => new URL(uri).origin === origin) ?? false,
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = errorPage(String(out.error), out.error_description);
    },
    interactions: { policy: prompts, url: (_ctx, interaction) => `${INTERACTION_PATH}${interaction.uid}` },
    // No consent screen: the signed-in person grants the one local client what it asked for.
    async loadExistingGrant(ctx) {
      const { oidc } = ctx;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client?.clientId ?? '');
      if (grantId) {
        const existing = await oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      if (!oidc.session?.accountId || !oidc.client) return undefined;
      const grant = new oidc.provider.Grant({
        accountId: oidc.session.accountId,
        clientId: oidc.client.clientId,
      });
      grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
      grant.addResourceScope(RESOURCE_INDICATOR, scope);
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE_INDICATOR,
        // The code is exchanged without a `resource` parameter (as at Cognito): use the granted one.
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, indicator) {
          if (indicator !== RESOURCE_INDICATOR) throw new errors.InvalidTarget();
          return {
            scope,
            audience: apiSettings.authorizer.userPool.resourceServer,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    // The claims a Cognito access token carries beyond RFC 9068's.
    async extraTokenClaims(ctx: KoaContextWithOIDC, token) {
      const code = ctx.oidc.entities.AuthorizationCode;
      return {
        token_use: 'access',
        auth_time: code?.authTime ?? Math.floor(Date.now() / 1000),
        username: 'accountId' in token ? token.accountId : undefined,
        origin_jti: randomUUID(),
        event_id: randomUUID(),
        version: 2,
      };
    },
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 300,
      IdToken: ACCESS_TOKEN_TTL_SECONDS,
      Interaction: 3600,
      Session: 24 * 3600,
      Grant: 24 * 3600,
    },
  };
}

/** The dev login page: GET shows the form, POST signs the email in and resumes the authorization. */
async function interaction(
  { errors }: OidcLibrary,
  provider: Provider,
  emails: Map<string, string>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const html = (status: number, body: string): void => {
    res
      .writeHead(status, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      })
      .end(body);
  };
  let details: Awaited<ReturnType<Provider['interactionDetails']>>;
  try {
    details = await provider.interactionDetails(req, res);
  } catch (error) {
    if (error instanceof errors.SessionNotFound)
      return html(400, loginPage({ expired: true, action: '', email: '' }));
    throw error;
  }
  const action = `${INTERACTION_PATH}${details.uid}`;
  if (req.method === 'GET') return html(200, loginPage({ action, email: '' }));
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'GET, POST' }).end();
    return;
  }
  const form = await readForm(req);
  if (form === undefined) return html(413, loginPage({ action, email: '', error: 'The form is too large.' }));
  const given = form.get('email') ?? '';
  const email = normalizeEmail(given);
  if (!email) return html(400, loginPage({ action, email: given, error: 'Enter an email address.' }));
  const sub = subjectOf(email);
  emails.set(sub, email);
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: sub } },
    { mergeWithLastSubmission: false },
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
