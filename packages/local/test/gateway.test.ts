/**
 * The local API Gateway over real HTTP, with probe handlers written to a temp directory:
 * the proxy event it builds, the gateway's own answers, integration failures and reloads.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RouteDefinition } from '@snapstack/domain/routes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../src/emulators/support.js';
import { LocalGateway } from '../src/gateway/gateway.js';
import { requestListener } from '../src/gateway/http-server.js';
import { compileRoutes } from '../src/gateway/route-matcher.js';
import { FunctionHost } from '../src/lambda/function-host.js';
import { createInvoke } from '../src/lambda/invoke.js';

const dir = mkdtempSync(path.join(tmpdir(), 'snapstack-gateway-'));
const probes: Record<string, string> = {
  echo: `export const handler = async (event, context) => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    multiValueHeaders: { 'x-multi': ['a', 'b'] },
    body: JSON.stringify({ event, context: { functionName: context.functionName, awsRequestId: context.awsRequestId,
      memoryLimitInMB: context.memoryLimitInMB, remaining: context.getRemainingTimeInMillis() } }),
  });`,
  throws: `export const handler = async () => { throw new Error('boom'); };`,
  malformed: `export const handler = async () => ({ body: 'no status code' });`,
  slow: `export const handler = () => new Promise(() => {});`,
  version: `import { VERSION } from './version-source.mjs'; export const handler = async () => ({ statusCode: 200, body: VERSION });`,
};
writeFileSync(path.join(dir, 'version-source.mjs'), `export const VERSION = 'v1';`);
for (const [name, source] of Object.entries(probes)) writeFileSync(path.join(dir, `${name}.mjs`), source);

const lambda = (fn: string) =>
  ({ kind: 'lambda', function: fn }) as unknown as RouteDefinition['integration'];
const none = { kind: 'none' } as const;
const routes: RouteDefinition[] = [
  { method: 'GET', path: '/probe/{id}', auth: none, integration: lambda('echo') },
  { method: 'POST', path: '/probe', auth: none, requestSchema: 'CreateUser', integration: lambda('echo') },
  { method: 'PUT', path: '/binary', auth: none, integration: lambda('echo') },
  { method: 'GET', path: '/throws', auth: none, integration: lambda('throws') },
  { method: 'GET', path: '/malformed', auth: none, integration: lambda('malformed') },
  { method: 'GET', path: '/slow', auth: none, integration: lambda('slow') },
  { method: 'GET', path: '/version', auth: none, integration: lambda('version') },
];
const catalog = Object.fromEntries(
  Object.keys(probes).map((id) => [id, { memoryMb: 128, timeoutSeconds: id === 'slow' ? 1 : 5 }]),
);

let server: Server;
let url: string;
let host: FunctionHost;
const logLines: string[] = [];
const reloads: string[] = [];

beforeAll(async () => {
  host = new FunctionHost(
    Object.keys(probes).map((id) => ({ id, packageDir: dir, entry: path.join(dir, `${id}.mjs`) })),
    (id) => reloads.push(id),
  );
  host.watch([dir]);
  const gateway = new LocalGateway({
    stage: 'test',
    matcher: compileRoutes(routes),
    invoke: createInvoke({ host, functions: catalog, functionName: (id) => `snapstack-test-${id}` }),
    binaryMediaTypes: ['image/*'],
    logError: () => undefined,
  });
  server = createServer(requestListener(gateway, (line) => logLines.push(line)));
  await listen(server);
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  host.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

async function echo(pathAndQuery: string, init?: RequestInit) {
  const res = await fetch(`${url}${pathAndQuery}`, init);
  expect(res.status).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: the echoed event is asserted on field by field
  return { res, ...((await res.json()) as { event: any; context: any }) };
}

describe('the proxy event', () => {
  it('carries what API Gateway sends for a GET with path and query parameters', async () => {
    const { event, context, res } = await echo('/probe/a%20b?tag=x&tag=y&q=1', {
      headers: { 'X-Custom': 'yes' },
    });
    expect(event).toMatchObject({
      resource: '/probe/{id}',
      path: '/probe/a%20b',
      httpMethod: 'GET',
      pathParameters: { id: 'a b' },
      queryStringParameters: { tag: 'y', q: '1' },
      multiValueQueryStringParameters: { tag: ['x', 'y'], q: ['1'] },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      requestContext: {
        stage: 'test',
        resourcePath: '/probe/{id}',
        httpMethod: 'GET',
        path: '/test/probe/a%20b',
        identity: { sourceIp: '127.0.0.1' },
      },
    });
    expect(event.headers['X-Custom'] ?? event.headers['x-custom']).toBe('yes');
    expect(event.multiValueHeaders['X-Custom'] ?? event.multiValueHeaders['x-custom']).toEqual(['yes']);
    expect(event.requestContext.requestId).toBe(res.headers.get('x-amzn-requestid'));
    expect(event.requestContext.requestTimeEpoch).toBeTypeOf('number');
    expect(event.requestContext.requestTime).toMatch(
      /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/,
    );
    expect(context).toMatchObject({
      functionName: 'snapstack-test-echo',
      awsRequestId: event.requestContext.requestId,
      memoryLimitInMB: '128',
    });
    expect(context.remaining).toBeGreaterThan(0);
    expect(context.remaining).toBeLessThanOrEqual(5000);
    expect(res.headers.get('x-multi')).toBe('a, b');
  });

  it('passes a text body as text and a binary media type base64-encoded', async () => {
    const text = await echo('/probe', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'A', age: 20, email: 'a@example.com' }),
    });
    expect(text.event.isBase64Encoded).toBe(false);
    expect(JSON.parse(text.event.body)).toEqual({ name: 'A', age: 20, email: 'a@example.com' });

    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    const binary = await echo('/binary', {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body: bytes,
    });
    expect(binary.event.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary.event.body, 'base64')).toEqual(bytes);
  });
});

describe("the gateway's own answers", () => {
  it.each([
    ['an unknown path', 'GET', '/nowhere'],
    ['a known path with an undeclared method', 'DELETE', '/probe/1'],
  ])('answers 403 Missing Authentication Token for %s', async (_case, method, p) => {
    const res = await fetch(`${url}${p}`, { method });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });

  it('validates the request model before invoking the function', async () => {
    const res = await fetch(`${url}/probe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"A","age":17,"email":"a@example.com"}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'Invalid request body' });
  });

  it('answers 413 for a payload over 10 MB', async () => {
    const res = await fetch(`${url}/binary`, {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ message: 'Request Too Long' });
  });
});

describe('integration failures', () => {
  it.each([
    ['a function that throws', '/throws'],
    ['a malformed proxy result', '/malformed'],
    ['a function that outlives its timeout', '/slow'],
  ])('answer 502 Internal server error for %s', async (_case, p) => {
    const res = await fetch(`${url}${p}`);
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ message: 'Internal server error' });
  });

  it('logs each request with method, path, status and duration', () => {
    expect(logLines).toContainEqual(expect.stringMatching(/^GET \/throws 502 \d+\.\dms$/));
  });
});

describe('reloading', () => {
  it('serves the new code after a source file the handler imports changes', async () => {
    expect(await (await fetch(`${url}/version`)).text()).toBe('v1');
    writeFileSync(path.join(dir, 'version-source.mjs'), `export const VERSION = 'v2';`);
    let body = 'v1';
    for (let attempt = 0; attempt < 100 && body !== 'v2'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      body = await (await fetch(`${url}/version`)).text();
    }
    expect(body).toBe('v2');
    expect(reloads).toContain('version');
  });
});
