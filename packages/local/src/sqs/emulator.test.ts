import {
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '../emulators/support.js';
import { type SqsEmulator, startSqs } from './emulator.js';

let sqs: SqsEmulator;
let client: SQSClient;
let queueUrl: string;
beforeAll(async () => {
  sqs = await startSqs();
  sqs.ensureQueues([{ name: 'chars', visibilityTimeoutSeconds: 30, messageRetentionSeconds: 60 }]);
  queueUrl = sqs.queueUrl('chars');
  client = new SQSClient(localClientConfig(sqs.endpoint));
});
afterAll(async () => {
  client?.destroy();
  await sqs?.close();
});

async function receiveAll(): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return bodies;
    bodies.push(...Messages.map((m) => m.Body ?? ''));
  }
}

// AWS SQS accepts #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.
const accepted: Array<[string, string]> = [
  ['an emoji (U+1F600, astral)', '{"userId":"😀"}'],
  ['the first astral code point (U+10000)', '\u{10000}'],
  ['the last code point (U+10FFFF)', '\u{10FFFF}'],
  ['the last code point before the surrogates (U+D7FF)', '\uD7FF'],
  ['the first code point after them (U+E000)', '\uE000'],
  ['U+FFFD', '\uFFFD'],
  ['tab, newline and carriage return', 'a\tb\nc\rd'],
  ['CJK and combining marks', '漢字 é'],
];
const refused: Array<[string, string]> = [
  ['a lone high surrogate', 'a\uD83Db'],
  ['a lone low surrogate', 'a\uDE00b'],
  ['a control character (U+0001)', 'a\u0001b'],
  ['U+FFFF (a noncharacter outside the set)', '\uFFFF'],
];

describe('the SQS emulator accepts the characters AWS SQS accepts', () => {
  it.each(accepted)('SendMessage accepts %s and delivers it unchanged', async (_case, body) => {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    expect(await receiveAll()).toEqual([body]);
  });

  it('SendMessageBatch accepts them too', async () => {
    const bodies = accepted.map(([, body]) => body);
    const out = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: bodies.map((MessageBody, i) => ({ Id: `m${i}`, MessageBody })),
      }),
    );
    expect(out.Failed ?? []).toEqual([]);
    expect((await receiveAll()).sort()).toEqual([...bodies].sort());
  });

  it.each(refused)('SendMessage refuses %s with InvalidMessageContents', async (_case, body) => {
    await expect(
      client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body })),
    ).rejects.toMatchObject({
      name: expect.stringMatching(/InvalidMessageContents$/),
    });
    expect(await receiveAll()).toEqual([]);
  });
});
