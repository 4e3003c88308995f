import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { localClientConfig } from '../src/emulators/support.js';
import { REPO_ROOT } from '../src/server.js';
import { startSqs } from '../src/sqs/emulator.js';
import { startLocalQueues } from '../src/sqs/queues.js';

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'snapstack-sqs-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const spec = { name: 'q', visibilityTimeoutSeconds: 30, messageRetentionSeconds: 3600 };

async function depth(client: SQSClient, url: string) {
  const { Attributes = {} } = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
  };
}

describe('the SQS emulator on disk', () => {
  it('keeps every acknowledged message, in flight or not, when the process dies without closing', async () => {
    const dir = scratch();
    const first = await startSqs({ path: dir });
    first.ensureQueues([spec]);
    const c1 = new SQSClient(localClientConfig(first.endpoint));
    for (const body of ['a', 'b', 'c']) {
      await c1.send(new SendMessageCommand({ QueueUrl: first.queueUrl('q'), MessageBody: body }));
    }
    const received = await c1.send(
      new ReceiveMessageCommand({ QueueUrl: first.queueUrl('q'), MaxNumberOfMessages: 1 }),
    );
    expect(received.Messages).toHaveLength(1);

    // No close(): a second emulator reads what the first had acknowledged.
    const second = await startSqs({ path: dir });
    second.ensureQueues([spec]);
    const c2 = new SQSClient(localClientConfig(second.endpoint));
    expect(await depth(c2, second.queueUrl('q'))).toEqual({ visible: 2, inFlight: 1 });
    const again = await c2.send(
      new ReceiveMessageCommand({
        QueueUrl: second.queueUrl('q'),
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    const others = ['a', 'b', 'c'].filter((b) => b !== received.Messages?.[0]?.Body);
    expect(again.Messages?.map((m) => m.Body).sort()).toEqual(others);
    expect(again.Messages?.map((m) => m.Attributes?.ApproximateReceiveCount)).toEqual(['1', '1']);
    c1.destroy();
    c2.destroy();
    await first.close();
    await second.close();
  });

  it('keeps nothing on disk in memory mode', async () => {
    const sqs = await startSqs({});
    sqs.ensureQueues([spec]);
    const client = new SQSClient(localClientConfig(sqs.endpoint));
    await client.send(new SendMessageCommand({ QueueUrl: sqs.queueUrl('q'), MessageBody: 'x' }));
    expect(await depth(client, sqs.queueUrl('q'))).toEqual({ visible: 1, inFlight: 0 });
    client.destroy();
    await sqs.close();
  });
});

describe('pnpm redrive on local data', () => {
  it('moves dead-lettered messages back to the source queue and reports how many', async () => {
    const dataDir = scratch();
    const queues = await startLocalQueues('local', dataDir, {}, { announce: false });
    for (const body of ['{"n":1}', '{"n":2}']) {
      await queues.client.send(
        new SendMessageCommand({ QueueUrl: queues.urls['likes-dlq'], MessageBody: body }),
      );
    }
    await queues.close();

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--conditions=@snapstack/source',
        '--import',
        'tsx',
        path.join(REPO_ROOT, 'packages/local/src/cli/redrive-cli.ts'),
      ],
      { cwd: path.join(REPO_ROOT, 'packages/local'), env: { ...process.env, SNAPSTACK_DATA_DIR: dataDir } },
    );
    expect(stdout).toContain('moved 2 message(s)');

    const reopened = await startLocalQueues('local', dataDir, {}, { announce: false });
    expect(await depth(reopened.client, reopened.urls['likes-dlq'])).toEqual({ visible: 0, inFlight: 0 });
    const moved = await reopened.client.send(
      new ReceiveMessageCommand({ QueueUrl: reopened.urls.likes, MaxNumberOfMessages: 10 }),
    );
    expect(moved.Messages?.map((m) => m.Body).sort()).toEqual(['{"n":1}', '{"n":2}']);
    await reopened.close();
  }, 30_000);
});
