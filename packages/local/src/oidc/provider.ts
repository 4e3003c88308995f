/**
 * The local OpenID provider `pnpm dev` starts, so people sign in locally the way they will at
 * the stage's Cognito user pool, and the local authorizer verifies their tokens through the same
 * JWKS path as in AWS. Built on `oidc-provider` (a certified OpenID Connect server):
 *
 * - discovery (`/.well-known/openid-configuration`) and JWKS (`/jwks`): one RS256 key, kept in
 *   the data directory (oidc/keys.ts);
 * - Authorization Code with PKCE (S256; required, the client is public) for one client,
 *   `LOCAL_CLIENT_ID`, whose redirect URIs are loopback (oidc/client.ts);
 * - access tokens that are RS256 JWTs shaped like Cognito's (oidc/configuration.ts): `token_use: access`, `client_id`,
 *   `scope` with the route table's scopes as `snapstack/<scope>`, `username`, `auth_time`,
 *   `jti`, `origin_jti`, `event_id`, `version: 2`. Unlike Cognito they carry an `aud` (the
 *   resource server; the library requires one in JWT access tokens); the authorizer checks
 *   `client_id`, not `aud`, for user pool issuers, as it must for Cognito;
 * - a dev login page (oidc/interaction.ts, oidc/login-page.ts): any email signs in, no password,
 *   no consent screen.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UserPoolEndpoints } from '@snapstack/domain/issuers';
import { listen } from '../emulators/support.js';
import { INTERACTION_PATH, LOCAL_CLIENT_ID, localClientRedirectUris } from './client.js';
import { configuration, type OidcLibrary } from './configuration.js';
import { interaction } from './interaction.js';
import { loadProviderKeys } from './keys.js';

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
