/**
 * `pnpm dev`'s web app, configured from the runner it runs beside: the API's URL and the OpenID
 * provider the authorizer trusts — read from the authorizer's own `AUTH_ISSUERS`, so the app
 * signs in with exactly the issuer and client the API accepts.
 */
import { apiSettings } from '@snapstack/domain/api-settings';
import { AUTH_ISSUERS_ENV, type IssuerConfig, type UserPoolEndpoints } from '@snapstack/domain/issuers';
import { routeScopes } from '@snapstack/domain/routes';
import type { LocalRunner } from '../server.js';
import { allowBrowserAccess } from './bucket-cors.js';
import { type BuiltWebApp, startWebApp, type WebApp, type WebAppSettings } from './web-app.js';

/** The user pool among the authorizer's issuers, if the runner has one. */
export function userPoolOf(issuersJson: string | undefined): UserPoolEndpoints | undefined {
  if (!issuersJson) return undefined;
  const issuers = JSON.parse(issuersJson) as IssuerConfig[];
  const pool = issuers.find((i) => i.kind === 'userPool');
  return pool && pool.kind === 'userPool'
    ? { issuer: pool.issuer, jwksUrl: pool.jwksUrl, clientId: pool.clientId }
    : undefined;
}

/** Every scope the route table uses, as the user pool's resource server names them. */
export function userPoolScopes(): string[] {
  return routeScopes().map((scope) => `${apiSettings.authorizer.userPool.resourceServer}/${scope}`);
}

export function webSettings(runner: Pick<LocalRunner, 'url' | 'environment'>): WebAppSettings {
  const userPool = userPoolOf(runner.environment('authorizer')[AUTH_ISSUERS_ENV]);
  return {
    apiUrl: runner.url,
    scopes: userPoolScopes(),
    ...(userPool ? { userPool } : {}),
  };
}

export async function startDevWebApp(
  runner: Pick<LocalRunner, 'url' | 'environment' | 'endpoints' | 'names'>,
  options: {
    readonly port?: number;
    readonly watch?: boolean;
    readonly publicHost?: 'localhost' | '127.0.0.1';
    readonly built?: BuiltWebApp;
  } = {},
): Promise<WebApp> {
  const web = await startWebApp({
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.watch !== undefined ? { watch: options.watch } : {}),
    ...(options.publicHost ? { publicHost: options.publicHost } : {}),
    ...(options.built ? { built: options.built } : {}),
    settings: () => webSettings(runner),
  });
  // Both loopback spellings of the app's origin: the page may be opened at either.
  const port = new URL(web.origin).port;
  const origins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  await allowBrowserAccess(runner.endpoints.s3, runner.names.buckets.images, origins).catch(async (error) => {
    await web.close();
    throw error;
  });
  return web;
}
