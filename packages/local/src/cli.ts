/**
 * `pnpm dev`: starts Snapstack locally and prints one line when it is ready.
 *
 *   --fresh        start from empty tables (deletes the data directory first)
 *   --port <n>     listen on n (default: $PORT or 3000)
 *   --s3-port <n>  local S3 endpoint port (default: $S3_PORT or 4569; 0 picks a free one)
 *   --no-watch     do not reload handlers when their source changes
 */
import { parseArgs } from 'node:util';
import { createServer, DEFAULT_DATA_DIR } from './server.js';

const { values } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    port: { type: 'string' },
    's3-port': { type: 'string' },
    'no-watch': { type: 'boolean', default: false },
  },
});

const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid port: ${values.port ?? process.env.PORT}`);
  process.exit(2);
}
const s3Port = Number(values['s3-port'] ?? process.env.S3_PORT ?? 4569);
if (!Number.isInteger(s3Port) || s3Port < 0 || s3Port > 65535) {
  console.error(`invalid S3 port: ${values['s3-port'] ?? process.env.S3_PORT}`);
  process.exit(2);
}
const dataDir = process.env.SNAPSTACK_DATA_DIR ?? DEFAULT_DATA_DIR;

const runner = await createServer({ port, s3Port, dataDir, fresh: values.fresh, watch: !values['no-watch'] });
console.log(
  `Snapstack is ready at ${runner.url} (stage ${runner.stage}; DynamoDB ${runner.endpoints.dynamodb}; ` +
    `SQS ${runner.endpoints.sqs}; S3 ${runner.endpoints.s3}, bucket ${runner.names.buckets.images}; data in ${dataDir})`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    runner.close().then(() => process.exit(0));
  });
}
