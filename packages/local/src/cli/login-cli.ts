/**
 * `pnpm --silent login --email <address>`: signs in at the local OpenID provider of `pnpm dev`
 * the way a browser does (Authorization Code + PKCE, the dev login page's form; oidc/dev-login.ts)
 * and prints the access token. Options in USAGE.
 */
import { parseCommandLine, usageError } from './args.js';

const USAGE = `Usage: pnpm --silent login --email <address> [options]

Signs in at the local OpenID provider of \`pnpm dev\` (any email signs in) and prints the access
token: an RS256 JWT shaped like a Cognito access token, valid for 1 hour.

Options:
  --email <address>  who signs in; the same email always gets the same sub (required)
  --issuer <url>     the provider, as on the ready line (default: http://127.0.0.1:$OIDC_PORT or 3001)
  --scope "<a b>"    space-separated scopes to ask for (default: openid email and every
                     snapstack/<scope> the route table uses)
  --id-token         print the ID token instead (the API refuses it: it is not an access token)
  -h, --help         print this help`;

const values = parseCommandLine({
  usage: USAGE,
  options: {
    email: { type: 'string' },
    issuer: { type: 'string' },
    scope: { type: 'string' },
    'id-token': { type: 'boolean', default: false },
  },
});

if (values.email === undefined) usageError('--email is required', USAGE);

// Loaded after the command line is checked: --help and usage errors answer at once.
const { devLogin } = await import('../oidc/dev-login.js');
const issuer = values.issuer ?? `http://127.0.0.1:${process.env.OIDC_PORT ?? 3001}`;
try {
  const tokens = await devLogin({
    issuer,
    email: values.email,
    ...(values.scope !== undefined ? { scope: values.scope } : {}),
  });
  const printed = values['id-token'] ? tokens.idToken : tokens.accessToken;
  if (printed === undefined) throw new Error('no ID token was issued (ask for the openid scope)');
  process.stdout.write(`${printed}\n`);
} catch (error) {
  const cause = (error as Error).cause as NodeJS.ErrnoException | undefined;
  const hint =
    cause?.code === 'ECONNREFUSED' ? ` (is \`pnpm dev\` running? its ready line names the issuer)` : '';
  console.error(`cannot sign in at ${issuer}: ${(error as Error).message}${hint}`);
  process.exit(1);
}
