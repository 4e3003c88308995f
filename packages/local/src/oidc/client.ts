/** The local provider's one client and resource server, as the web app and `pnpm login` see them. */
import { apiSettings, corsOrigins } from '@snapstack/domain/api-settings';
import { routeScopes } from '@snapstack/domain/routes';

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
export const RESOURCE_INDICATOR = `urn:${apiSettings.authorizer.userPool.resourceServer}`;
export const ACCESS_TOKEN_TTL_SECONDS = 3600; // Cognito's default
export const INTERACTION_PATH = '/interaction/';
/** A login form is one email field: anything longer is not one. */
export const MAX_FORM_BYTES = 4096;

/**
 * Whether a browser at `origin` may call the token endpoint: the origin of a redirect URI, or,
 * for the portless loopback redirect URI (which matches any port, see above), any port of
 * `http://127.0.0.1` — the web app under test runs there on a free port.
 */
export function isRedirectOrigin(origin: string, redirectUris: readonly string[]): boolean {
  let from: URL;
  try {
    from = new URL(origin);
  } catch {
    return false;
  }
  return redirectUris.some((uri) => {
    const registered = new URL(uri);
    if (registered.origin === origin) return true;
    return (
      registered.protocol === 'http:' &&
      registered.hostname === '127.0.0.1' &&
      registered.port === '' &&
      from.protocol === 'http:' &&
      from.hostname === '127.0.0.1' &&
      from.origin === origin
    );
  });
}
