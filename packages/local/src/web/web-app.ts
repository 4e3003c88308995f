/**
 * The web app under `pnpm dev`: Vite's dev server (its Node API, in the runner's process, so
 * `pnpm dev` stays one command and edits to packages/web reload the page) plus the app's
 * `config.json`, written from what this runner actually listens on. Nothing is fetched from the
 * network: Vite transforms the workspace's own sources.
 *
 * @example
 * const web = await startWebApp({ port: 5173, settings: { apiUrl: runner.url, userPool, scopes } });
 * console.log(web.url); // http://localhost:5173/
 */
import path from 'node:path';
import type { UserPoolEndpoints } from '@snapstack/domain/issuers';
import type { Connect, Plugin, ViteDevServer } from 'vite';
import { REPO_ROOT } from '../cli/data-dir.js';

export const WEB_APP_DIR = path.join(REPO_ROOT, 'packages', 'web');
export const DEFAULT_WEB_PORT = 5173;

export interface WebAppSettings {
  readonly apiUrl: string;
  /** The OpenID provider the app signs in with; without it the app says sign-in is not configured. */
  readonly userPool?: UserPoolEndpoints;
  /** Scopes to request, already carrying the resource server's prefix. */
  readonly scopes?: readonly string[];
}

/**
 * Where the provider sends the browser back: the local OpenID client registers `/callback` on
 * the loopback web origins (packages/local/src/oidc/provider.ts), and the app's index.html
 * answers there too.
 */
export const CALLBACK_PATH = '/callback';

/**
 * What `config.json` holds for an app served at `origin` (packages/web/src/config.ts reads it).
 * Never the usage-plan key: the app reads users at the `jwt` routes (/people) with its sign-in,
 * as it must where config.json is public.
 */
export function webConfig(origin: string, settings: WebAppSettings): Record<string, unknown> {
  const redirectUri = `${origin}${CALLBACK_PATH}`;
  return {
    apiUrl: settings.apiUrl,
    ...(settings.userPool
      ? {
          oidc: {
            issuer: settings.userPool.issuer,
            clientId: settings.userPool.clientId,
            redirectUri,
            scopes: ['openid', 'email', ...(settings.scopes ?? [])],
          },
        }
      : {}),
  };
}

/**
 * The origin the page was loaded from, when it is a loopback one: the redirect URI must be on
 * the page's own origin (the PKCE verifier waits in that origin's sessionStorage), and
 * `localhost` and `127.0.0.1` are different origins to a browser.
 */
export function pageOrigin(host: string | undefined, fallback: string): string {
  const match = /^(localhost|127\.0\.0\.1|\[::1\]):(\d{1,5})$/.exec(host ?? '');
  return match ? `http://${match[1]}:${match[2]}` : fallback;
}

/** Serves `GET /config.json` from the settings as they are at request time (dev and built app). */
function configJson(origin: () => string, settings: () => WebAppSettings): Plugin {
  const serve = (middlewares: Connect.Server): void => {
    middlewares.use('/config.json', (req, res) => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('cache-control', 'no-store');
      res.end(JSON.stringify(webConfig(pageOrigin(req.headers.host, origin()), settings())));
    });
  };
  return {
    name: 'snapstack-config-json',
    configureServer: (server) => {
      serve(server.middlewares);
    },
    configurePreviewServer: (server) => {
      serve(server.middlewares);
    },
  };
}

export interface WebAppOptions {
  /** Default 5173 (the first CORS origin of the `dev` stage); 0 picks a free port. */
  readonly port?: number;
  /** The loopback interface to bind (default `127.0.0.1`). */
  readonly host?: string;
  /**
   * The host of the printed URL and the default redirect URI (default `localhost`: the local
   * OpenID client registers `http://localhost:5173/callback` exactly, and allows its token
   * endpoint from that origin). `127.0.0.1` suits any other port: a loopback IP redirect URI
   * matches on any port (RFC 8252).
   */
  readonly publicHost?: 'localhost' | '127.0.0.1';
  readonly settings: WebAppSettings | (() => WebAppSettings);
  /** Reload the page when a source of packages/web changes (default true). */
  readonly watch?: boolean;
  /** Serve this build instead of the sources (no reload). */
  readonly built?: BuiltWebApp;
}

/**
 * The app as a stage serves it: a production build (`vite build` of packages/web), with the
 * headers the stage's distribution adds (its Content-Security-Policy), and `config.json` from
 * this runner. `pnpm dev` serves the sources instead (hot reload needs inline code a strict
 * policy refuses); this is how a test runs the deployed build under the deployed policy.
 */
export interface BuiltWebApp {
  /** The build's directory: `index.html` and `assets/`. */
  readonly distDir: string;
  /** Sent with every answer, as the distribution's response-headers policy sends them. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface WebApp {
  /** `http://localhost:<port>/`: open this. */
  readonly url: string;
  readonly origin: string;
  close(): Promise<void>;
}

export async function startWebApp(options: WebAppOptions): Promise<WebApp> {
  const { createServer, preview } = await import('vite');
  const settings =
    typeof options.settings === 'function' ? options.settings : () => options.settings as WebAppSettings;
  let origin = '';
  const common = {
    configFile: path.join(WEB_APP_DIR, 'vite.config.ts'),
    root: WEB_APP_DIR,
    logLevel: 'warn' as const,
    clearScreen: false,
    plugins: [configJson(() => origin, settings)],
  };
  const listen = {
    port: options.port ?? DEFAULT_WEB_PORT,
    host: options.host ?? '127.0.0.1',
    strictPort: true,
  };
  let server: Pick<ViteDevServer, 'httpServer' | 'close'>;
  if (options.built) {
    server = await preview({
      ...common,
      build: { outDir: options.built.distDir },
      preview: { ...listen, headers: { ...options.built.headers } },
    });
  } else {
    const dev = await createServer({
      ...common,
      server: { ...listen, ...(options.watch === false ? { watch: null, hmr: false } : {}) },
    });
    await dev.listen();
    server = dev;
  }
  const address = server.httpServer?.address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  origin = `http://${options.publicHost ?? 'localhost'}:${port}`;
  return { url: `${origin}/`, origin, close: () => server.close() };
}
