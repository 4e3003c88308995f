/// <reference path="../types/s3rver.d.ts" />
/**
 * S3 on s3rver (npm), in this process: objects on disk under `<dataDir>/s3`, so originals,
 * thumbnails and the images table (dynalite on disk beside it) survive a restart together.
 * In-memory runners get a temporary directory, removed on close.
 *
 * What this module adds to s3rver (and patches/s3rver@3.7.1.patch fixes in it):
 * - S3 event notifications with the bucket definitions' filters, as records shaped and
 *   key-encoded exactly as S3 sends them (space -> `+`, the rest percent-escaped, `/` kept);
 * - `aws-chunked` request bodies decoded (the AWS CLI's default streaming uploads);
 * - any access key accepted (SigV4 is not verified by s3rver: it is an emulator);
 * - via the patch: listings without DES (legacy OpenSSL), POST policies enforced
 *   (expiration, fields, content-length-range), CompleteMultipartUpload event names.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOCAL_REGION } from '@snapstack/domain/aws';
import { encodeS3EventKey, notificationMatches } from '@snapstack/domain/buckets';
import type { BucketNotification } from '@snapstack/domain/functions';
import { headerValue } from '@snapstack/domain/headers';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import S3rver from 's3rver';
import { AwsChunkedDecoder, isAwsChunked } from './aws-chunked.js';

export interface S3BucketSpec {
  readonly name: string;
  readonly notifications: readonly BucketNotification[];
}

export interface S3Emulator {
  readonly endpoint: string;
  close(): Promise<void>;
}

export interface S3Options {
  /** Objects live here; undefined keeps them in a temporary directory removed on close. */
  readonly directory?: string;
  readonly buckets: readonly S3BucketSpec[];
  readonly region?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Called for every notification whose filter matches a created object (an async invoke). */
  readonly deliver: (notification: BucketNotification, event: S3Event) => void;
}

/** Any access key maps to s3rver's one account: locally every client may use its own credentials. */
function acceptAnyAccessKey(): void {
  const require = createRequire(import.meta.url);
  const AWSAccount = require('s3rver/lib/models/account.js') as {
    registry: Map<string, unknown>;
    DUMMY_ACCOUNT: { accessKeys: Map<string, string> };
  };
  const { registry, DUMMY_ACCOUNT } = AWSAccount;
  registry.get = (key: string) => Map.prototype.get.call(registry, key) ?? DUMMY_ACCOUNT;
  const keys = DUMMY_ACCOUNT.accessKeys;
  keys.get = (key: string) => Map.prototype.get.call(keys, key) ?? 'S3RVER';
}

/** How S3 encodes object keys in event notifications (see `encodeS3EventKey`). */
export const encodeEventKey = encodeS3EventKey;

let sequence = 0n;
/** Monotonic per process, hex, as S3's sequencer (orders events for one key). */
function nextSequencer(): string {
  sequence += 1n;
  return (BigInt(Date.now()) * 1000n + sequence).toString(16).toUpperCase().padStart(18, '0');
}

export function s3EventRecord(input: {
  region: string;
  eventName: string;
  bucket: string;
  key: string;
  size: number;
  eTag?: string;
  sourceIp: string;
  configurationId: string;
  eventTime?: Date;
}): S3EventRecord {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: input.region,
    eventTime: (input.eventTime ?? new Date()).toISOString(),
    eventName: input.eventName,
    userIdentity: { principalId: 'AWS:LOCALPRINCIPAL' },
    requestParameters: { sourceIPAddress: input.sourceIp },
    responseElements: {
      'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
      'x-amz-id-2': randomBytes(48).toString('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: input.configurationId,
      bucket: {
        name: input.bucket,
        ownerIdentity: { principalId: 'LOCALOWNER' },
        arn: `arn:aws:s3:::${input.bucket}`,
      },
      object: {
        key: encodeEventKey(input.key),
        size: input.size,
        ...(input.eTag ? { eTag: input.eTag } : {}),
        sequencer: nextSequencer(),
      },
    },
  } as S3EventRecord;
}

export async function startS3(options: S3Options): Promise<S3Emulator> {
  const temporary = options.directory === undefined;
  const directory = options.directory ?? mkdtempSync(path.join(tmpdir(), 'snapstack-s3-'));
  mkdirSync(directory, { recursive: true });
  acceptAnyAccessKey();
  const region = options.region ?? LOCAL_REGION;

  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory,
    vhostBuckets: false,
    allowMismatchedSignatures: true,
    configureBuckets: options.buckets.map((b) => ({ name: b.name })),
  });

  // Runs before s3rver's own middleware: hand it the decoded bytes of aws-chunked uploads.
  s3rver.middleware.unshift(async (ctx, next) => {
    const headers = ctx.request.headers;
    if ((ctx.method === 'PUT' || ctx.method === 'POST') && isAwsChunked(headers)) {
      const decoded = headerValue(headers, 'x-amz-decoded-content-length');
      if (decoded !== undefined) headers['content-length'] = decoded;
      const encoding = (headerValue(headers, 'content-encoding') ?? '')
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e && e !== 'aws-chunked');
      if (encoding.length > 0) headers['content-encoding'] = encoding.join(',');
      else delete headers['content-encoding'];
      headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
      ctx.req = ctx.req.pipe(new AwsChunkedDecoder());
    }
    await next();
  });

  const byName = new Map(options.buckets.map((b) => [b.name, b.notifications]));
  s3rver.on('event', (event) => {
    for (const raw of event.Records ?? []) {
      const { eventName } = raw;
      const bucket = raw.s3.bucket.name;
      const key = raw.s3.object.key;
      const notifications = byName.get(bucket);
      if (!notifications || !eventName.startsWith('ObjectCreated:')) continue;
      for (const notification of notifications) {
        if (!notificationMatches(notification, eventName, key)) continue;
        const record = s3EventRecord({
          region,
          eventName,
          bucket,
          key,
          size: Number(raw.s3.object.size ?? 0),
          ...(raw.s3.object.eTag ? { eTag: String(raw.s3.object.eTag) } : {}),
          sourceIp: String(raw.requestParameters?.sourceIPAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
          configurationId: notification.id,
        });
        options.deliver(notification, { Records: [record] });
      }
    }
  });

  const { port } = await s3rver.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      s3rver.httpServer?.closeAllConnections();
      await s3rver.close();
      if (temporary) rmSync(directory, { recursive: true, force: true });
    },
  };
}
