/**
 * `pnpm dev`: starts Snapstack locally and prints one line when it is ready. SIGINT (Ctrl-C)
 * and SIGTERM stop everything and flush the data (exit 0); a second signal exits at once.
 * The runner also stops when the process that started it goes away, so killing `pnpm dev`'s
 * own PID never leaves an orphan holding the ports and the data directory.
 */

import type { LocalRunner } from '../server.js';
import type { WebApp } from '../web/web-app.js';
import { parseCommandLine, usageError } from './args.js';
import { DEFAULT_DATA_DIR } from './data-dir.js';
import { LocalRunnerError } from './errors.js';

const USAGE = `Usage: pnpm dev [options]

Starts Snapstack on this machine: the local API Gateway, the handlers and the AWS emulators.

Options:
  --fresh              start from empty tables, queues and buckets (empties the data directory)
  --port <n>           the API's port (default: $PORT or 3000; 0 picks a free one)
  --s3-port <n>        the local S3 endpoint's port (default: $S3_PORT or 4569; 0 picks a free one)
  --delivery-port <n>  where thumbnails are served, as the stage's CDN serves them
                       (default: $DELIVERY_PORT or 3002; 0 picks a free one)
  --oidc-port <n>      the local OpenID provider's port (default: $OIDC_PORT or 3001; 0 picks a
                       free one, and tokens it issued before a restart then name another issuer)
  --web-port <n>       the web app's port (default: $WEB_PORT or 5173; 0 picks a free one)
  --no-watch           do not reload handlers when their source changes
  -h, --help           print this help

Data lives in $SNAPSTACK_DATA_DIR (default: .snapstack/data); one runner per data directory.
Ctrl-C (or SIGTERM) stops everything and saves the data; press it twice to quit at once.`;

const values = parseCommandLine({
  usage: USAGE,
  options: {
    fresh: { type: 'boolean', default: false },
    port: { type: 'string' },
    's3-port': { type: 'string' },
    'oidc-port': { type: 'string' },
    'delivery-port': { type: 'string' },
    'web-port': { type: 'string' },
    'no-watch': { type: 'boolean', default: false },
  },
});

function portFrom(value: string | undefined, fallback: number, what: string): number {
  const port = Number(value ?? fallback);
  if (!/^\d+$/.test(String(value ?? fallback)) || port > 65535)
    usageError(`invalid ${what}: ${value} (a number from 0 to 65535)`, USAGE);
  return port;
}
const port = portFrom(values.port ?? process.env.PORT, 3000, 'port');
const s3Port = portFrom(values['s3-port'] ?? process.env.S3_PORT, 4569, 'S3 port');
const deliveryPort = portFrom(values['delivery-port'] ?? process.env.DELIVERY_PORT, 3002, 'delivery port');
const oidcPort = portFrom(values['oidc-port'] ?? process.env.OIDC_PORT, 3001, 'OpenID provider port');
const webPort = portFrom(values['web-port'] ?? process.env.WEB_PORT, 5173, 'web port');
const dataDir = process.env.SNAPSTACK_DATA_DIR ?? DEFAULT_DATA_DIR;

// A handler's promise nobody awaits must not stop the whole runner: in Lambda it would end
// only that sandbox. Say so, once per rejection, and keep serving.
process.on('unhandledRejection', (reason) => {
  console.error(
    `error: a promise rejected and nothing handled it: ${(reason as Error)?.stack ?? String(reason)}`,
  );
});

let runner: LocalRunner | undefined;
let web: WebApp | undefined;
let stopping = false;
let firstSignalAt = 0;
function stop(): void {
  // Ctrl-C reaches every process in the terminal's group, and pnpm passes its own copy on:
  // one key press arrives twice within milliseconds. A second press is a second later.
  if (stopping && performance.now() - firstSignalAt > 1000) process.exit(130);
  if (stopping) return;
  stopping = true;
  firstSignalAt = performance.now();
  if (!runner) return; // still starting: stopped as soon as it is up
  Promise.all([web?.close(), runner.close()]).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`error: while stopping: ${(error as Error)?.message ?? String(error)}`);
      process.exit(1);
    },
  );
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Orphaned (the parent `pnpm` was killed and did not pass the signal on): stop as if told to.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent && !stopping) stop();
}, 500).unref();

try {
  // Loaded after the command line is checked: --help and usage errors answer at once.
  const { createServer } = await import('../server.js');
  runner = await createServer({
    port,
    s3Port,
    oidcPort,
    deliveryPort,
    dataDir,
    fresh: values.fresh,
    watch: !values['no-watch'],
  });
  const { startDevWebApp } = await import('../web/dev-web-app.js');
  web = await startDevWebApp(runner, { port: webPort, watch: !values['no-watch'] });
} catch (error) {
  console.error(error instanceof LocalRunnerError ? error.message : error);
  process.exit(1);
}
console.log(
  // The web app first (what a person opens); then the API, which scripts read as "ready at <url>".
  `Snapstack web app: ${web?.url} — Snapstack is ready at ${runner.url} (stage ${runner.stage}; DynamoDB ${runner.endpoints.dynamodb}; ` +
    `SQS ${runner.endpoints.sqs}; S3 ${runner.endpoints.s3}, bucket ${runner.names.buckets.images}; ` +
    `thumbnails ${runner.endpoints.imageDelivery}; ` +
    `sign-in ${runner.oidc.issuer}, client ${runner.oidc.clientId}; data in ${dataDir}; PID ${process.pid})`,
);
if (stopping) {
  stopping = false;
  stop();
}
