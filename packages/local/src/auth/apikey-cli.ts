/** `pnpm --silent apikey`: prints the local usage plan's API key (`x-api-key`) that `pnpm dev` accepts. */
import { DEFAULT_DATA_DIR } from '../server.js';
import { loadDevCredentials } from './credentials.js';

process.stdout.write(`${loadDevCredentials(process.env.SNAPSTACK_DATA_DIR ?? DEFAULT_DATA_DIR).apiKey}\n`);
