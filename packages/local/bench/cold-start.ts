/**
 * A function's first invocation after its cold import, against a warm invocation of the same
 * handler in the same process (both against the local emulators): what a cold start costs a
 * user beyond loading the code — first SDK request, lazily loaded modules, first connections.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from '@snapstack/bench-kit';
import { apiSettings } from '@snapstack/domain/api-settings';
import type { FunctionId } from '@snapstack/domain/functions';
import type { LikeMessage } from '@snapstack/domain/likes';
import { routeOf, routePath } from '@snapstack/domain/routes';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { buildProxyEvent } from '../src/gateway/proxy-event.js';
import type { TestRunner } from '../src/testing.js';

const WARM_CALLS = 15;

/**
 * Runs in the function's Node: imports the handler, calls it once (first invocation) and then
 * WARM_CALLS more times; writes the timings to a file (the handler's logs own stdout).
 */
const CHILD = `
import { readFileSync, writeFileSync } from 'node:fs';
import module from 'node:module';
const [url, eventsFile, outFile, name] = process.argv.slice(1);
const events = JSON.parse(readFileSync(eventsFile, 'utf8'));
const context = {
  functionName: name, functionVersion: '$LATEST', memoryLimitInMB: '256', awsRequestId: 'bench',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:' + name,
  logGroupName: '/aws/lambda/' + name, logStreamName: 'bench', callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10000, done() {}, fail() {}, succeed() {},
};
// Modules the first call loads (in-thread hooks, Node >= 22.15): chunks, lazily required built-ins.
const loaded = [];
let recording = false;
module.registerHooks?.({
  load(u, c, next) {
    if (recording) loaded.push(u.replace(/^file:.*\\//, './'));
    return next(u, c);
  },
});
const started = performance.now();
const { handler } = await import(url);
const importMs = performance.now() - started;
const statuses = [];
async function call(i) {
  const t = performance.now();
  const result = await handler(structuredClone(events[i % events.length]), context);
  statuses.push(result && typeof result === 'object' && 'statusCode' in result ? result.statusCode : 'ok');
  return performance.now() - t;
}
recording = true;
const firstMs = await call(0);
recording = false;
const warm = [];
for (let i = 1; i <= ${WARM_CALLS}; i++) warm.push(await call(i));
writeFileSync(outFile, JSON.stringify({ importMs, firstMs, warm, statuses, loaded }));
process.exit(0);
`;

export interface FirstInvocation {
  /** Import of the handler inside the process (no process start). */
  readonly importMs: number;
  readonly firstMs: number;
  /** The call after the first: how fast the first call's extra cost fades. */
  readonly secondMs: number;
  readonly warmMs: number;
  readonly ratio: number;
  /** Modules the first call loaded (the last run's). */
  readonly loadedOnFirstCall: readonly string[];
}

/**
 * Medians over `runs` fresh processes, each a cold start followed by warm calls. The child is
 * awaited, never waited for synchronously: the emulators it calls run in this process.
 */
export async function firstInvocation(
  node: string,
  handlerFile: string,
  env: NodeJS.ProcessEnv,
  events: readonly unknown[],
  runs = 5,
): Promise<FirstInvocation> {
  const dir = mkdtempSync(path.join(path.dirname(handlerFile), '.bench-'));
  const eventsFile = path.join(dir, 'events.json');
  writeFileSync(eventsFile, JSON.stringify(events));
  const samples: { importMs: number; firstMs: number; secondMs: number; warmMs: number }[] = [];
  let loadedOnFirstCall: string[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const outFile = path.join(dir, `out-${i}.json`);
      const args = ['--input-type=module', '-e', CHILD, pathToFileURL(handlerFile).href, eventsFile, outFile];
      await run(node, [...args, 'bench'], env, path.dirname(handlerFile));
      const out = JSON.parse(readFileSync(outFile, 'utf8'));
      const failed = (out.statuses as unknown[]).filter((s) => typeof s === 'number' && s >= 400);
      if (failed.length > 0) throw new Error(`the handler answered ${failed.join(', ')}`);
      samples.push({
        importMs: out.importMs,
        firstMs: out.firstMs,
        secondMs: out.warm[0],
        warmMs: median(out.warm),
      });
      loadedOnFirstCall = out.loaded;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const firstMs = median(samples.map((s) => s.firstMs));
  const warmMs = median(samples.map((s) => s.warmMs));
  return {
    importMs: median(samples.map((s) => s.importMs)),
    firstMs,
    secondMs: median(samples.map((s) => s.secondMs)),
    warmMs,
    ratio: firstMs / warmMs,
    loadedOnFirstCall,
  };
}

function run(node: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`first invocation exited ${code}: ${stderr}`)),
    );
  });
}

/**
 * The events each measured function gets, as the local gateway and the SQS poller build them,
 * over data created through the runner first, so every call takes its success path.
 */
export async function invocationEvents(runner: TestRunner): Promise<Partial<Record<FunctionId, unknown[]>>> {
  const created = await runner.request(routeOf('createUser').method, routePath('createUser', {}), {
    json: { name: 'Bench', age: 40, email: 'bench@example.com' },
  });
  const userId = (created.body as { id: string }).id;
  const upload = await runner.request(routeOf('createUpload').method, routePath('createUpload', {}), {
    json: { contentType: 'image/jpeg', bytes: 1000 },
  });
  const imageId = (upload.body as { image: { image_id: string } }).image.image_id;
  const token = await runner.token({ sub: 'bench', scope: 'users:write' });
  const caller = { sub: 'bench', scope: '' };
  const like = (i: number): LikeMessage => ({
    userId,
    likerId: `bench-${i}`,
    action: 'like',
    requestId: `bench-${i}`,
    at: Date.now() + i,
  });
  return {
    listUsers: [proxy('listUsers', {})],
    getUser: [proxy('getUser', { id: userId })],
    createUser: [proxy('createUser', {}, { name: 'Bench', age: 41, email: 'b@example.com' }, caller)],
    getMetadata: [proxy('getMetadata', { image_id: imageId })],
    createUpload: [proxy('createUpload', {}, { contentType: 'image/png', bytes: 2000 }, caller)],
    authorizer: [authorizerEvent(token)],
    likesWorker: Array.from({ length: WARM_CALLS + 1 }, (_, i) => sqsEvent(like(i), runner)),
  };
}

function proxy(
  id: FunctionId,
  pathParameters: Record<string, string>,
  json?: unknown,
  caller?: Record<string, string>,
): APIGatewayProxyEvent {
  const { method, path: resource } = routeOf(id);
  const body = json === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(json));
  const event = buildProxyEvent(
    {
      method,
      url: new URL(routePath(id, pathParameters), 'http://127.0.0.1'),
      rawHeaders: ['Host', '127.0.0.1', ...(json === undefined ? [] : ['Content-Type', 'application/json'])],
      body,
      sourceIp: '127.0.0.1',
      requestId: 'bench',
      receivedAt: new Date(),
    },
    { stage: 'local', resource, pathParameters, binaryMediaTypes: apiSettings.binaryMediaTypes },
  );
  return caller ? { ...event, requestContext: { ...event.requestContext, authorizer: caller } } : event;
}

/** The REQUEST authorizer event the local gateway sends for `GET /users` with a bearer token. */
function authorizerEvent(token: string) {
  const event = proxy('listUsers', {});
  return {
    ...event,
    type: 'REQUEST',
    headers: { ...event.headers, Authorization: `Bearer ${token}` },
    multiValueHeaders: { ...event.multiValueHeaders, Authorization: [`Bearer ${token}`] },
    methodArn: `arn:aws:execute-api:us-east-1:000000000000:${event.requestContext.apiId}/local/GET/users`,
  };
}

function sqsEvent(message: LikeMessage, runner: TestRunner) {
  return {
    Records: [
      {
        messageId: message.requestId,
        receiptHandle: message.requestId,
        body: JSON.stringify(message),
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(message.at),
          SenderId: '000000000000',
          ApproximateFirstReceiveTimestamp: String(message.at),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${runner.names.queues.likes}`,
        awsRegion: 'us-east-1',
      },
    ],
  };
}
