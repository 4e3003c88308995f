/** `pnpm --silent token`: prints a dev JWT that `pnpm dev` accepts (same data directory); options in USAGE. */
import { routeScopes } from '@snapstack/domain/routes';
import { parseCommandLine } from './args.js';
import { loadDevCredentials, signDevToken } from './credentials.js';
import { DEFAULT_DATA_DIR } from './data-dir.js';

const USAGE = `Usage: pnpm --silent token [options]

Prints a dev JWT that \`pnpm dev\` accepts (signed with the data directory's dev secret).

Options:
  --sub <id>           subject, becomes createdBy (default: dev-user)
  --scope "<a b>"      space-separated scopes (default: every scope the route table uses)
  --expires-in <span>  seconds or a span such as 15m, 2h (default: 1h)
  --email <address>    optional email claim
  -h, --help           print this help`;

const values = parseCommandLine({
  usage: USAGE,
  options: {
    sub: { type: 'string' },
    scope: { type: 'string' },
    'expires-in': { type: 'string' },
    email: { type: 'string' },
  },
});

const expiresIn = values['expires-in'];
const credentials = loadDevCredentials(process.env.SNAPSTACK_DATA_DIR ?? DEFAULT_DATA_DIR);
try {
  const token = await signDevToken(credentials.jwtSecret, {
    sub: values.sub ?? 'dev-user',
    scope: values.scope ?? routeScopes().join(' '),
    ...(values.email !== undefined ? { email: values.email } : {}),
    ...(expiresIn !== undefined
      ? { expiresIn: /^\d+$/.test(expiresIn) ? Number(expiresIn) : expiresIn }
      : {}),
  });
  process.stdout.write(`${token}\n`);
} catch (error) {
  console.error(`cannot make a token: ${(error as Error).message}`);
  process.exit(2);
}
