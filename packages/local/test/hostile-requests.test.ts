/**
 * The runner's error boundary over raw sockets: every class of hostile or broken request gets
 * the answer an HTTP front end or API Gateway gives (or a dropped connection), and the runner
 * keeps serving — gateway, handlers and emulators alike.
 */
import net from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '../src/emulators/support.js';
import { MAX_HEADER_BYTES } from '../src/gateway/http-server.js';
import { startTestRunner, type TestRunner } from '../src/testing.js';

let app: TestRunner;
const logLines: string[] = [];
beforeAll(async () => {
  // Short client timeouts so the slow-client cases answer quickly (defaults: 20 s / 60 s).
  app = await startTestRunner({
    http: { headersTimeoutMs: 300, requestTimeoutMs: 600 },
    log: (line) => logLines.push(line),
  });
}, 60_000);
afterAll(() => app?.close());

type Then = 'read' | 'half-close' | 'disconnect';

/**
 * Sends `data` as raw bytes, then reads until the server closes (`read`), half-closes first
 * (a truncated request), or disconnects once the bytes are flushed (an aborted request).
 * Resolves with the status line's code (0 when the server answered nothing).
 */
function raw(endpoint: string, data: string | Buffer, then: Then = 'read'): Promise<number> {
  const { port } = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (d) => {
      received += d.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1] ?? 0)));
    socket.write(data, () => {
      if (then === 'half-close') socket.end();
      if (then === 'disconnect') socket.destroy();
    });
  });
}

const CRLF = '\r\n';
const request = (head: string[], body = '') => `${head.join(CRLF)}${CRLF}${CRLF}${body}`;

async function stillServes(): Promise<void> {
  const res = await app.request('POST', '/users', {
    json: { name: 'Still', age: 30, email: 's@example.com' },
  });
  expect(res.status).toBe(201);
}

describe('the gateway port', () => {
  it.each([
    ['a Host that makes no URL', 400, request(['GET /users HTTP/1.1', 'Host: a b', 'Connection: close'])],
    ['a Host with a path in it', 400, request(['GET /users HTTP/1.1', 'Host: a/b', 'Connection: close'])],
    [
      'a Host with an impossible port',
      400,
      request(['GET /users HTTP/1.1', 'Host: x:99999', 'Connection: close']),
    ],
    ['an unclosed IPv6 Host', 400, request(['GET /users HTTP/1.1', 'Host: [::1', 'Connection: close'])],
    ['no Host in HTTP/1.1', 400, request(['GET /users HTTP/1.1', 'Connection: close'])],
    ['a garbage request line', 400, 'GARBAGE\r\n\r\n'],
    ['an unknown method token', 400, request(['FROB /users HTTP/1.1', 'Host: x'])],
    ['a header line without a colon', 400, request(['GET /users HTTP/1.1', 'Host: x', 'not a header'])],
    ['a NUL byte in a header value', 400, request(['GET /users HTTP/1.1', 'Host: x', 'X-A: a\0b'])],
    [
      'Content-Length and chunked together',
      400,
      request(
        ['POST /users HTTP/1.1', 'Host: x', 'Content-Length: 3', 'Transfer-Encoding: chunked'],
        '0\r\n\r\n',
      ),
    ],
    [
      'two different Content-Lengths',
      400,
      request(['POST /users HTTP/1.1', 'Host: x', 'Content-Length: 3', 'Content-Length: 4'], 'abcd'),
    ],
    ['a negative Content-Length', 400, request(['POST /users HTTP/1.1', 'Host: x', 'Content-Length: -1'])],
    [
      'an invalid chunk size',
      400,
      request(['POST /users HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked'], 'zz\r\n'),
    ],
    ['a TLS ClientHello on the plain port', 400, Buffer.from('16030100a5010000a10303', 'hex')],
    ['an HTTP/2 preface', 400, 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
    [
      `headers over ${MAX_HEADER_BYTES} bytes`,
      431,
      request(['GET /users HTTP/1.1', 'Host: x', `X-Big: ${'a'.repeat(MAX_HEADER_BYTES)}`]),
    ],
    [
      'a declared body over 10 MB',
      413,
      request(['POST /users HTTP/1.1', 'Host: x', `Content-Length: ${11 * 1024 * 1024}`]),
    ],
    ['headers that never end (slowloris)', 408, 'GET /users HTTP/1.1\r\nHost: x\r\n'],
    [
      'a body that never comes',
      408,
      request(['POST /users HTTP/1.1', 'Host: x', 'Content-Length: 100'], '{"na'),
    ],
  ])('answers %s with %i and keeps serving', async (_label, status, data) => {
    expect(await raw(app.url, data)).toBe(status);
    await stillServes();
  });

  it.each([
    ['a client that disconnects mid-body', 'disconnect' as const],
    ['a body cut short by a half-close', 'half-close' as const],
  ])('drops %s and keeps serving', async (_label, then) => {
    const head = [
      'POST /users HTTP/1.1',
      'Host: x',
      'Content-Type: application/json',
      'Content-Length: 1000',
    ];
    expect(await raw(app.url, request(head, '{"name":"Cut'), then)).toBe(then === 'half-close' ? 400 : 0);
    await stillServes();
  });

  it('drops a client that disconnects while its handler runs, and keeps serving', async () => {
    const body = JSON.stringify({ name: 'Gone', age: 30, email: 'g@example.com' });
    const head = [
      'POST /users HTTP/1.1',
      'Host: x',
      'Content-Type: application/json',
      `Content-Length: ${body.length}`,
      `Authorization: Bearer ${await app.token({ sub: 'gone', scope: 'users:write' })}`,
      `X-Api-Key: ${app.apiKey}`,
    ];
    expect(await raw(app.url, request(head, body), 'disconnect')).toBe(0);
    await stillServes();
  });

  it.each([
    ['an absolute-form target', 200, 'GET http://elsewhere.example/users HTTP/1.1'],
    ['a double slash path', 403, 'GET //users HTTP/1.1'],
    ['a broken percent-escape in a path id', 404, 'GET /users/%E0%A4%A HTTP/1.1'],
    ['an asterisk target', 400, 'OPTIONS * HTTP/1.1'],
    ['an unknown but valid method', 403, 'PROPFIND /users HTTP/1.1'],
  ])('routes %s as API Gateway does (%i)', async (_label, status, line) => {
    const head = [line, 'Host: x', `X-Api-Key: ${app.apiKey}`, 'Connection: close'];
    expect(await raw(app.url, request(head))).toBe(status);
    await stillServes();
  });

  it('logs one line per refused request, naming the reason', async () => {
    logLines.length = 0;
    expect(await raw(app.url, 'GARBAGE\r\n\r\n')).toBe(400);
    expect(logLines).toEqual([expect.stringMatching(/^400: HPE_\w+ from 127\.0\.0\.1$/)]);
  });
});

describe('the emulator ports', () => {
  const hostile: Array<[string, string, Then]> = [
    ['garbage', 'GARBAGE\r\n\r\n', 'read'],
    ['a Host that makes no URL', request(['GET / HTTP/1.1', 'Host: a b', 'Connection: close']), 'read'],
    [
      'a body cut off',
      request(['PUT /x/y HTTP/1.1', 'Host: x', 'Content-Length: 1000'], 'abc'),
      'disconnect',
    ],
    [
      'a body cut short',
      request(['POST / HTTP/1.1', 'Host: x', 'Content-Length: 1000'], '{"a'),
      'half-close',
    ],
    ['oversized headers', request(['GET / HTTP/1.1', 'Host: x', `X-Big: ${'a'.repeat(64 * 1024)}`]), 'read'],
  ];

  it.each(['s3', 'sqs', 'dynamodb'] as const)(
    '%s survives hostile requests and still answers the SDK',
    async (which) => {
      for (const [, data, then] of hostile) await raw(app.endpoints[which], data, then);
      const config = localClientConfig(app.endpoints[which]);
      const answer =
        which === 's3'
          ? await new S3Client(config).send(new ListBucketsCommand({}))
          : which === 'sqs'
            ? await new SQSClient(config).send(new ListQueuesCommand({}))
            : await new DynamoDBClient(config).send(new ListTablesCommand({}));
      expect(answer.$metadata.httpStatusCode).toBe(200);
    },
  );
});
