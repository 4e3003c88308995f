/**
 * Crash and restart: the runner (`pnpm dev`'s CLI, a child process on a temporary data
 * directory) is killed with SIGKILL while uploads and likes are in flight, then started again
 * on the same directory. Everything it had accepted ends processed exactly once in its effects:
 * each image answered 201 ends `ready` with its thumbnails in S3, and each like answered 202
 * is counted once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { resourceName } from '@snapstack/domain/naming';
import { routeScopes } from '@snapstack/domain/routes';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDevCredentials, signDevToken } from '../src/cli/credentials.js';
import { localClientConfig } from '../src/emulators/support.js';
import { S3_EVENTS_DIR } from '../src/event-sources/s3-notifications.js';
import { REPO_ROOT } from '../src/server.js';
import { FREE_PORT_OPTIONS } from '../src/testing.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'snapstack-restart-'));
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** An RGB PNG of random pixels, encoded by hand (this package has no image library). */
function noisePng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const rows = Buffer.concat(
    Array.from({ length: height }, () => Buffer.concat([Buffer.from([0]), randomBytes(width * 3)])),
  );
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 1 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

interface Runner {
  readonly child: ChildProcess;
  readonly url: string;
  readonly s3: string;
  readonly sqs: string;
}

/** Starts the CLI on the shared data directory and free ports; resolves on its ready line. */
function startRunner(): Promise<Runner> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@snapstack/source',
      '--import',
      'tsx',
      path.join(REPO_ROOT, 'packages/local/src/cli/cli.ts'),
      ...FREE_PORT_OPTIONS,
      '--no-watch',
    ],
    {
      cwd: path.join(REPO_ROOT, 'packages/local'),
      env: { ...process.env, SNAPSTACK_DATA_DIR: dataDir, LOG_LEVEL: 'ERROR' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /ready at (http:\/\/\S+)/.exec(output)?.[1];
      const s3 = /S3 (http:\/\/[^,\s]+)/.exec(output)?.[1];
      const sqs = /SQS (http:\/\/[^;\s]+)/.exec(output)?.[1];
      if (url && s3 && sqs) resolve({ child, url, s3, sqs });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`runner exited (${code ?? signal}) before ready:\n${output}`)),
    );
  });
}

/** The likes queue of a runner, by its SQS endpoint: how many messages wait and are in flight. */
async function likesQueue(endpoint: string) {
  const sqs = new SQSClient(localClientConfig(endpoint));
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: resourceName('local', 'likes') }));
  return {
    async depth() {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return {
        visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      };
    },
    close: () => sqs.destroy(),
  };
}

const killed = (child: ChildProcess, signal: NodeJS.Signals) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });

describe('a runner killed with SIGKILL and restarted on the same data directory', () => {
  it('ends every accepted upload ready with its thumbnails and counts every accepted like once', async () => {
    const first = await startRunner();
    const { jwtSecret, apiKey } = loadDevCredentials(dataDir);
    const scope = routeScopes().join(' ');
    const headers = async (sub: string) => ({
      authorization: `Bearer ${await signDevToken(jwtSecret, { sub, scope })}`,
      'x-api-key': apiKey,
    });
    const call = async (
      base: string,
      method: string,
      route: string,
      sub: string,
      body?: string | Uint8Array,
      type?: string,
    ) => {
      const res = await fetch(`${base}${route}`, {
        method,
        headers: { ...(await headers(sub)), ...(type ? { 'content-type': type } : {}) },
        ...(body !== undefined ? { body } : {}),
      });
      return {
        status: res.status,
        // biome-ignore lint/suspicious/noExplicitAny: responses are asserted on, not trusted
        body: (await res.text().then((t) => (t ? JSON.parse(t) : undefined))) as any,
      };
    };

    const liked = await call(
      first.url,
      'POST',
      '/users',
      'admin',
      JSON.stringify({ name: 'Liked', age: 30, email: 'l@example.com' }),
      'application/json',
    );
    expect(liked.status).toBe(201);
    // Noise PNGs (~2 MB; nothing compresses): thumbnailing them takes longer than accepting them.
    const photos = Array.from({ length: 8 }, () => noisePng(640, 480));
    const upload = (base: string, data: Buffer) =>
      call(base, 'POST', '/upload', 'uploader', new Uint8Array(data), 'image/png').catch(() => undefined);
    const like = (base: string, i: number) =>
      call(base, 'POST', `/users/${liked.body.id}/likes`, `liker-${i}`).catch(() => undefined);

    // Wave one is answered in full; wave two is cut off by the kill.
    const wave1 = await Promise.all([
      ...photos.slice(0, 5).map((p) => upload(first.url, p)),
      ...[0, 1, 2, 3, 4].map((i) => like(first.url, i)),
    ]);
    const wave2 = Promise.all([
      ...photos.slice(5).map((p) => upload(first.url, p)),
      ...[5, 6, 7].map((i) => like(first.url, i)),
    ]);
    await killed(first.child, 'SIGKILL');
    const answered = [...wave1, ...(await wave2)];
    const images: string[] = answered.filter((r) => r?.status === 201).map((r) => r!.body.image_id);
    const likes = answered.filter((r) => r?.status === 202).length;
    expect(images.length).toBeGreaterThanOrEqual(5);
    expect(likes).toBeGreaterThanOrEqual(5);
    // The crash left accepted uploads whose S3 events were not handled yet: the restart must redeliver them.
    expect(readdirSync(path.join(dataDir, S3_EVENTS_DIR)).length).toBeGreaterThan(0);

    const second = await startRunner();
    try {
      const s3 = new S3Client(localClientConfig(second.s3));
      const bucket = resourceName('local', 'images');
      for (const id of images) {
        // biome-ignore lint/suspicious/noExplicitAny: asserted on below
        let image: any;
        for (let i = 0; i < 600 && image?.status !== 'ready'; i++) {
          image = (await call(second.url, 'GET', `/metadata/${id}`, 'reader')).body;
          if (image?.status !== 'ready') await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(image, id).toMatchObject({
          status: 'ready',
          thumbnails: [expect.objectContaining({ size: 128 })],
        });
        for (const t of image.thumbnails)
          await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: t.key }));
      }
      s3.destroy();
      // Likes that were accepted but maybe not applied are applied once, never twice. One the
      // worker had received when the kill came is in flight: as in SQS, it comes back after the
      // queue's visibility timeout (minutes), so it is counted as still queued, not as lost.
      const queue = await likesQueue(second.sqs);
      let count = -1;
      let queued = { visible: 0, inFlight: 0 };
      for (let i = 0; i < 600; i++) {
        count = (await call(second.url, 'GET', `/users/${liked.body.id}`, 'reader')).body.likes;
        queued = await queue.depth();
        if (count >= likes || (queued.visible === 0 && count + queued.inFlight >= likes)) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      queue.close();
      expect(count + queued.visible + queued.inFlight).toBeGreaterThanOrEqual(likes);
      // A like whose 202 the kill swallowed may still have been queued: at most the ones sent.
      expect(count).toBeLessThanOrEqual(8);
      expect(readdirSync(path.join(dataDir, S3_EVENTS_DIR))).toEqual([]);
    } finally {
      await killed(second.child, 'SIGTERM');
    }
  }, 120_000);
});
