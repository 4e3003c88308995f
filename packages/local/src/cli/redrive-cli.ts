/** `pnpm redrive`: moves dead-lettered messages back to their source queues and says how many; options in USAGE. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig } from '@snapstack/domain/aws';
import { resourceName } from '@snapstack/domain/naming';
import { type QueueId, queues, redriveSources } from '@snapstack/domain/queues';
import { localClientConfig } from '../emulators/support.js';
import { RUNNER_FILE, startLocalQueues } from '../sqs/queues.js';
import { redrive } from '../sqs/redrive.js';
import { parseCommandLine } from './args.js';
import { DEFAULT_DATA_DIR, lockDataDir } from './data-dir.js';
import { DataDirInUseError } from './errors.js';

const USAGE = `Usage: pnpm --silent redrive [options]

Moves dead-lettered messages back to their source queues and says how many.

Options:
  --stage <name>  the deployed stage's queues (AWS credentials and region from the environment);
                  without it: the running \`pnpm dev\`, or its data directory
  --queue <id>    only this source queue (default: every queue with a dead-letter queue)
  -h, --help      print this help`;

const values = parseCommandLine({
  usage: USAGE,
  options: { stage: { type: 'string' }, queue: { type: 'string' } },
});
const pairs = redriveSources().filter((p) => values.queue === undefined || p.source === values.queue);
if (pairs.length === 0) {
  console.error(
    `no queue "${values.queue}" with a dead-letter queue; known: ${redriveSources()
      .map((p) => p.source)
      .join(', ')}`,
  );
  process.exit(2);
}

interface Target {
  readonly client: SQSClient;
  readonly url: (id: QueueId) => Promise<string>;
  readonly where: string;
  close(): Promise<void>;
}

async function deployed(stage: string): Promise<Target> {
  const client = new SQSClient(awsClientConfig('sqs'));
  return {
    client,
    where: `stage ${stage}`,
    url: async (id) => {
      const { QueueUrl } = await client.send(
        new GetQueueUrlCommand({ QueueName: resourceName(stage, queues[id].id) }),
      );
      if (!QueueUrl) throw new Error(`queue ${resourceName(stage, queues[id].id)} not found`);
      return QueueUrl;
    },
    close: async () => client.destroy(),
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function local(): Promise<Target> {
  const dataDir = process.env.SNAPSTACK_DATA_DIR ?? DEFAULT_DATA_DIR;
  const runnerFile = path.join(dataDir, 'sqs', RUNNER_FILE);
  if (existsSync(runnerFile)) {
    const runner = JSON.parse(readFileSync(runnerFile, 'utf8')) as {
      pid: number;
      endpoint: string;
      urls: Record<QueueId, string>;
    };
    if (alive(runner.pid)) {
      // Only ever the loopback endpoint the local runner wrote.
      if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(runner.endpoint))
        throw new Error(`${runnerFile} names a non-local endpoint`);
      const client = new SQSClient(localClientConfig(runner.endpoint));
      return {
        client,
        where: `the running local runner (${runner.endpoint})`,
        url: async (id) => runner.urls[id],
        close: async () => client.destroy(),
      };
    }
  }
  // No runner: open the data directory's queues ourselves (they are saved again on close),
  // holding its lock so a `pnpm dev` starting meanwhile waits for us rather than racing.
  let release: () => void;
  try {
    release = lockDataDir(dataDir);
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    console.error(`${error.message} (it is starting or stopping: try again in a moment)`);
    process.exit(1);
  }
  const opened = await startLocalQueues(
    process.env.SNAPSTACK_STAGE ?? 'local',
    dataDir,
    {},
    { announce: false },
  );
  return {
    client: opened.client,
    where: `the local data in ${dataDir}`,
    url: async (id) => opened.urls[id],
    close: async () => {
      await opened.close();
      release();
    },
  };
}

const target = values.stage ? await deployed(values.stage) : await local();
let total = 0;
try {
  for (const { source, deadLetter } of pairs) {
    const [from, to] = await Promise.all([target.url(deadLetter), target.url(source)]);
    const result = await redrive(target.client, from, to, { waitTimeSeconds: values.stage ? 2 : 0 });
    total += result.moved;
    console.log(
      `${deadLetter} -> ${source}: moved ${result.moved} message(s)${result.failed ? `, ${result.failed} refused (left in the DLQ)` : ''}`,
    );
  }
} finally {
  await target.close();
}
console.log(`redrive done on ${target.where}: ${total} message(s) moved`);
