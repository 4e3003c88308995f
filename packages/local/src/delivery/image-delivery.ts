/**
 * The local stand-in for the stage's CDN in front of the images bucket: a read-only HTTP server
 * that answers `GET`/`HEAD /thumbnails/...` from the local S3 through the SDK, with the headers
 * the CDN's response-headers policy adds (`@snapstack/domain/delivery`). Its URL is the runner's
 * `imageDeliveryUrl`, so thumbnail `url`s from the API work in a browser as they do in AWS.
 *
 * What it mirrors of CloudFront with Origin Access Control on a private bucket:
 * - only `thumbnails/` is reachable: the bucket policy grants the distribution nothing else, and
 *   S3 answers a principal without `s3:ListBucket` 403 AccessDenied — for a missing key too, so a
 *   missing thumbnail is 403, not 404, here as there;
 * - only GET and HEAD (the cache behaviour's allowed methods): CloudFront refuses the others with
 *   403 before reaching the origin;
 * - the query string is not forwarded (the cache policy keys on the path alone);
 * - ETag, Last-Modified, Content-Type and Content-Length come from S3, and conditional GETs
 *   (`If-None-Match`, `If-Modified-Since`) answer 304.
 * Not mirrored: HTTPS (so no Strict-Transport-Security: browsers ignore it over HTTP), ranges.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import { imagePrefixes } from '@snapstack/domain/buckets';
import { thumbnailResponseHeaders } from '@snapstack/domain/delivery';
import { localClientConfig } from '../emulators/support.js';

export interface ImageDelivery {
  /** The base of every thumbnail URL: `${url}/thumbnails/<id>/<size>.<ext>`. */
  readonly url: string;
  close(): Promise<void>;
}

/** S3's answer to a principal that may not read (or list) the key, as CloudFront passes it on. */
const ACCESS_DENIED =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';

/** CloudFront's own answer to a method the cache behaviour does not allow. */
const METHOD_NOT_ALLOWED =
  'This distribution is not configured to allow the HTTP request method that was used for this request. The distribution supports only cachable requests.';

export async function startImageDelivery(options: {
  readonly s3Endpoint: string;
  readonly bucket: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly log?: (line: string) => void;
}): Promise<ImageDelivery> {
  const s3 = new S3Client(localClientConfig(options.s3Endpoint));
  const server: Server = createServer((req, res) => {
    serve(s3, options.bucket, req, res).catch((error: unknown) => {
      options.log?.(`error: image delivery ${req.method} ${req.url}: ${String(error)}`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(res.headersSent ? undefined : 'Bad Gateway');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      s3.destroy();
    },
  };
}

/** The object key a request path names, as S3 decodes it; undefined for a malformed escape. */
export function keyOfPath(rawUrl: string): string | undefined {
  const path = rawUrl.split('?')[0] ?? '';
  try {
    return decodeURIComponent(path.replace(/^\/+/, ''));
  } catch {
    return undefined;
  }
}

async function serve(s3: S3Client, bucket: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(403, { 'content-type': 'text/plain', allow: 'GET, HEAD' });
    res.end(METHOD_NOT_ALLOWED);
    return;
  }
  const key = keyOfPath(req.url ?? '/');
  if (
    key === undefined ||
    !key.startsWith(imagePrefixes.thumbnails) ||
    key === imagePrefixes.thumbnails ||
    // CloudFront resolves dot segments before it matches the path pattern; an HTTP stack under
    // the SDK might resolve them after this check, so `thumbnails/../uploads/x` never gets that far.
    key.split('/').some((segment) => segment === '.' || segment === '..')
  ) {
    return denied(res);
  }
  const conditions = {
    ...(req.headers['if-none-match'] ? { IfNoneMatch: req.headers['if-none-match'] } : {}),
    ...(req.headers['if-modified-since']
      ? { IfModifiedSince: new Date(req.headers['if-modified-since']) }
      : {}),
  };
  let object: ObjectResponse;
  try {
    object =
      method === 'GET'
        ? await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...conditions }))
        : await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ...conditions }));
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 304) {
      res.writeHead(304, thumbnailResponseHeaders);
      res.end();
      return;
    }
    if (status === 404) return denied(res);
    throw error;
  }
  res.writeHead(200, {
    ...thumbnailResponseHeaders,
    ...(object.ContentType ? { 'content-type': object.ContentType } : {}),
    ...(object.ContentLength !== undefined ? { 'content-length': String(object.ContentLength) } : {}),
    ...(object.ETag ? { etag: object.ETag } : {}),
    ...(object.LastModified ? { 'last-modified': object.LastModified.toUTCString() } : {}),
  });
  const body = 'Body' in object ? (object.Body as Readable | undefined) : undefined;
  if (!body) {
    res.end();
    return;
  }
  body.on('error', () => res.destroy()).pipe(res);
}

type ObjectResponse = GetObjectCommandOutput | HeadObjectCommandOutput;

/** No caching headers on a refusal: the thumbnail may exist later (or the key was mistyped). */
function denied(res: ServerResponse): void {
  res.writeHead(403, {
    'content-type': 'application/xml',
    'x-content-type-options': thumbnailResponseHeaders['x-content-type-options'],
  });
  res.end(ACCESS_DENIED);
}
