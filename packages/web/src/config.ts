/**
 * The app's runtime configuration, fetched from `config.json` beside `index.html`: one build
 * serves every stage. The local runner writes it from the ports it listens on; in AWS it is
 * written from the stage's outputs (API URL, user pool issuer, app client id).
 *
 * @example
 * const config = parseConfig(await (await fetch('config.json')).json());
 */

export interface WebConfig {
  /** The API's base URL, without a trailing slash. */
  readonly apiUrl: string;
  readonly oidc: {
    /** The OpenID provider's issuer; discovery is `${issuer}/.well-known/openid-configuration`. */
    readonly issuer: string;
    /** The public app client (no secret: Authorization Code + PKCE). */
    readonly clientId: string;
    /** Where the provider sends the browser back with the code: a URL of this app. */
    readonly redirectUri: string;
    /** Requested scopes, space-separated when sent (the resource server's, plus `openid`). */
    readonly scopes: readonly string[];
    /** A post-logout URI registered with the provider: sign-out then ends the provider's session too. */
    readonly postLogoutRedirectUri?: string;
    /**
     * A complete URL that ends the provider's session, for a provider whose discovery document
     * names no `end_session_endpoint` (Cognito's managed login:
     * `https://<domain>/logout?client_id=<id>&logout_uri=<a registered sign-out URL>`). When
     * present, sign-out forgets the tokens and goes there, in place of RP-initiated logout.
     */
    readonly signOutUrl?: string;
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new ConfigError(`config.json: ${what} is missing`);
  return value;
}

function url(value: unknown, what: string): string {
  const raw = text(value, what);
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('not http(s)');
  } catch {
    throw new ConfigError(`config.json: ${what} is not an http(s) URL: ${raw}`);
  }
  return raw;
}

/** Checks what `config.json` holds, so a bad deployment says what is wrong instead of failing later. */
export function parseConfig(raw: unknown): WebConfig {
  if (typeof raw !== 'object' || raw === null) throw new ConfigError('config.json is not a JSON object');
  const fields = raw as Record<string, unknown>;
  if (typeof fields.oidc !== 'object' || fields.oidc === null)
    throw new ConfigError('Sign-in is not configured here: config.json names no OpenID provider (oidc).');
  const oidc = fields.oidc as Record<string, unknown>;
  const scopes = oidc.scopes;
  if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== 'string'))
    throw new ConfigError('config.json: oidc.scopes must be a list of strings');
  return {
    apiUrl: url(fields.apiUrl, 'apiUrl').replace(/\/+$/, ''),
    oidc: {
      issuer: url(oidc.issuer, 'oidc.issuer'),
      clientId: text(oidc.clientId, 'oidc.clientId'),
      // Kept as written: the provider compares redirect URIs exactly, trailing slash included.
      redirectUri: url(oidc.redirectUri, 'oidc.redirectUri'),
      scopes: scopes as string[],
      ...(typeof oidc.postLogoutRedirectUri === 'string'
        ? { postLogoutRedirectUri: oidc.postLogoutRedirectUri }
        : {}),
      // Absent or null (how Terraform's jsonencode writes an unset value): RP-initiated logout.
      ...(oidc.signOutUrl !== undefined && oidc.signOutUrl !== null
        ? { signOutUrl: url(oidc.signOutUrl, 'oidc.signOutUrl') }
        : {}),
    },
  };
}

export async function loadConfig(fetcher: typeof fetch = fetch): Promise<WebConfig> {
  const response = await fetcher('config.json', { cache: 'no-store' });
  if (!response.ok) throw new ConfigError(`config.json could not be loaded (HTTP ${response.status})`);
  return parseConfig(await response.json());
}
