/** `pnpm --silent apikey`: prints the local usage plan's API key (`x-api-key`) that `pnpm dev` accepts. */
import { parseCommandLine } from './args.js';
import { loadDevCredentials } from './credentials.js';
import { DEFAULT_DATA_DIR } from './data-dir.js';

parseCommandLine({
  usage: `Usage: pnpm --silent apikey

Prints the local usage plan's API key (send it as x-api-key to \`pnpm dev\`).

Options:
  -h, --help  print this help`,
  options: {},
});
process.stdout.write(`${loadDevCredentials(process.env.SNAPSTACK_DATA_DIR ?? DEFAULT_DATA_DIR).apiKey}\n`);
