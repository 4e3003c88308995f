/**
 * The fuzz suite: requests derived from the route table and its JSON Schemas, sent over real
 * HTTP to a real runner (`startTestRunner()`), valid and hostile. Every property asserts:
 *
 * - never a 5xx: bad input is the client's fault and gets a 4xx;
 * - never a crash: no unhandled error in the process, and the runner answers a health request;
 * - data untouched by rejected requests: the tables, scanned through the SDK before and after,
 *   are equal; an accepted write changes exactly what its route may change (see `permitted`).
 *
 * `pnpm test` runs a fixed seed and a bounded count; `pnpm fuzz` runs a long campaign with a
 * random seed (`FUZZ_SEED`, `FUZZ_RUNS` override). A failure prints fast-check's seed, path and
 * counterexample: `FUZZ_SEED=<seed> pnpm fuzz` replays it.
 */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { apiSettings } from '@snapstack/domain/api-settings';
import type { FunctionId } from '@snapstack/domain/functions';
import { MAX_GATEWAY_PAYLOAD_BYTES } from '@snapstack/domain/gateway';
import { type RouteDefinition, routeScopes, routes } from '@snapstack/domain/routes';
import { startTestRunner, type TestRunner } from '@snapstack/local/testing';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_HEADER_BYTES } from '../src/gateway/http-server.js';
import { compileRoutes } from '../src/gateway/route-matcher.js';
import {
  type FuzzRequest,
  fillPath,
  hostileQuery,
  mutatedBody,
  oddHeaders,
  oddMethod,
  paramNames,
  pathId,
  schemaOf,
  validValue,
} from './fuzz/arbitraries.js';
import {
  type Change,
  CrashWatch,
  campaign,
  diff,
  type FuzzResponse,
  type Snapshot,
  send,
  sendRaw,
  snapshotter,
} from './fuzz/harness.js';

const config = campaign();
if (config.long) console.log(`fuzz campaign: seed ${config.seed} (replay with FUZZ_SEED=${config.seed})`);

const crashes = new CrashWatch();

let app: TestRunner;
let snapshots: ReturnType<typeof snapshotter>;
let sqs: SQSClient;
/** Credentials a property may send, by name: one valid set and many broken ones. */
let auth: Record<AuthKind, Record<string, string>>;
/** Existing ids the path generators mix in with hostile ones. */
const ids = { users: [] as string[], images: [] as string[] };
/** Ids of existing items, by the body property that names them. */
const known = () => ({ image_id: [...ids.images, ...processedLater] });
/** Images whose thumbnailing may still change their item (accepted uploads are processed later). */
const processedLater = new Set<string>();

type AuthKind =
  | 'valid'
  | 'none'
  | 'badKey'
  | 'expired'
  | 'numericSub'
  | 'emptySub'
  | 'noScopes'
  | 'wrongSecret'
  | 'algNone'
  | 'garbage';
const authKinds = fc.oneof(
  { weight: 6, arbitrary: fc.constant<AuthKind>('valid') },
  {
    weight: 4,
    arbitrary: fc.constantFrom<AuthKind>(
      'none',
      'badKey',
      'expired',
      'numericSub',
      'emptySub',
      'noScopes',
      'wrongSecret',
      'algNone',
      'garbage',
    ),
  },
);

/** A 1x1 PNG: the smallest image POST /upload accepts and the thumbnailer processes. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

beforeAll(async () => {
  crashes.install();
  process.env.LOG_LEVEL ??= 'CRITICAL';
  app = await startTestRunner({
    queues: { visibilityTimeoutSeconds: 1, waitTimeSeconds: 1 },
    // The usage plan's throttle and quota have their own tests (authorizer/test/usage-plan-api);
    // here they would answer 429 to the health request of a fast machine or a long campaign.
    auth: {
      usagePlan: {
        rateLimit: 1e6,
        burstLimit: 1e6,
        quota: { limit: Number.MAX_SAFE_INTEGER, period: 'DAY' },
      },
    },
  });
  snapshots = snapshotter(app);
  sqs = new SQSClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoint: app.endpoints.sqs,
  });
  const scope = routeScopes().join(' ');
  const { issuer, audience } = apiSettings.authorizer.sharedSecret;
  const secret = new TextEncoder().encode(app.credentials.jwtSecret);
  // Signed correctly with the runner's secret, but with claims a client should not get away with.
  const signed = (claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(secret);
  const key = { 'x-api-key': app.apiKey };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}`, ...key });
  const valid = await app.token({ sub: 'fuzz-user', scope });
  const [header, payload] = valid.split('.');
  auth = {
    valid: bearer(valid),
    none: {},
    badKey: { authorization: `Bearer ${valid}`, 'x-api-key': `${app.apiKey}x` },
    expired: bearer(await app.token({ sub: 'fuzz-user', scope, expiresIn: -60 })),
    numericSub: bearer(await signed({ sub: 42, scope })),
    emptySub: bearer(await signed({ sub: '', scope })),
    noScopes: bearer(await app.token({ sub: 'fuzz-user', scope: '' })),
    wrongSecret: bearer(
      await new SignJWT({ sub: 'fuzz-user', scope })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('not-the-secret-not-the-secret-32')),
    ),
    algNone: bearer(`${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`),
    garbage: { authorization: `Bearer ${header}..${'A'.repeat(3000)}`, ...key },
  };

  for (let i = 0; i < 3; i++) {
    const res = await app.request('POST', '/users', {
      json: { name: `Fuzz ${i}`, age: 20 + i, email: `fuzz${i}@example.com` },
    });
    expect(res.status).toBe(201);
    ids.users.push(res.body.id);
  }
  const pending = await app.request('POST', '/uploads', { json: { contentType: 'image/png' } });
  expect(pending.status).toBe(201);
  ids.images.push(pending.body.image.image_id);
  const uploaded = await app.request('POST', '/upload', {
    body: PNG,
    headers: { 'content-type': 'image/png' },
  });
  expect(uploaded.status).toBe(201);
  ids.images.push(uploaded.body.image_id);
  await settle();
}, 60_000);

afterAll(async () => {
  crashes.uninstall();
  snapshots?.close();
  sqs?.destroy();
  await app?.close();
});

/**
 * The tables now. Nothing changes them between two requests of a property (every accepted
 * request is settled before the next), so the last "after" is the next "before".
 */
let last: Snapshot | undefined;
async function tables(fresh = false): Promise<Snapshot> {
  if (fresh || !last) last = await snapshots.take();
  return last;
}

/** Waits until the likes worker and the thumbnailer have applied everything accepted so far. */
/** Messages in the likes dead-letter queue. */
async function deadLetters(): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: app.queueUrls['likes-dlq'],
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Object.values(Attributes).reduce((sum, n) => sum + Number(n), 0);
}

async function settle() {
  await app.settled();
  await app.asyncInvoker.idle();
}

const functionOf = (route: RouteDefinition): FunctionId | 'likes' =>
  route.integration.kind === 'lambda' ? route.integration.function : 'likes';

/**
 * The route a request really reached, and its decoded parameters: the URL parser resolves `..`
 * and the matcher ignores a trailing `/`, so `DELETE /users/x/likes/..` is `DELETE /users/x`.
 */
const matcher = compileRoutes(routes);
function dispatched(request: FuzzRequest) {
  return matcher.match(request.method, new URL(request.path, 'http://h').pathname);
}

/**
 * What an accepted request may change, by the function (or integration) its route invokes.
 * Anything else that changed is data a request should not have touched.
 */
function permitted(request: FuzzRequest, response: FuzzResponse, change: Change): boolean {
  if (change.table === 'images' && change.kind === 'modified' && processedLater.has(change.key)) return true;
  const match = dispatched(request);
  if (!match || response.status < 200 || response.status > 299) return false;
  const { route, pathParameters: params } = match;
  const body = parse(response.text) as Record<string, unknown> | undefined;
  switch (functionOf(route)) {
    case 'createUser':
      return change.table === 'users' && change.kind === 'added' && change.key === body?.id;
    case 'patchUser':
      return change.table === 'users' && change.kind === 'modified' && change.key === params.id;
    case 'deleteUser':
      return change.table === 'users' && change.kind === 'removed' && change.key === params.id;
    case 'likes':
      // The worker counts the like on the user and records who liked whom.
      return (
        (change.table === 'users' && change.kind === 'modified' && change.key === params.id) ||
        (change.table === 'likes' && change.key.startsWith(`${params.id}\u0000`))
      );
    case 'uploadImage':
      return change.table === 'images' && change.kind === 'added' && change.key === body?.image_id;
    case 'createUpload':
      return (
        change.table === 'images' &&
        change.kind === 'added' &&
        change.key === (body?.image as Record<string, unknown> | undefined)?.image_id
      );
    case 'processImage':
      return (
        change.table === 'images' &&
        change.kind === 'modified' &&
        change.key ===
          (parse(request.body?.toString('utf8') ?? '') as { image_id?: string } | undefined)?.image_id
      );
    default:
      return false;
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const describeRequest = (r: FuzzRequest) =>
  `${r.method} ${r.path.length > 200 ? `${r.path.slice(0, 200)}… (${r.path.length} chars)` : r.path}` +
  ` headers=${JSON.stringify(r.headers).slice(0, 300)}` +
  (r.body
    ? ` body(${r.body.length} bytes)=${JSON.stringify(r.body.subarray(0, 200).toString('latin1'))}`
    : '');

/**
 * Sends one request and checks the three invariants. Returns the response for
 * property-specific checks.
 */
async function check(request: FuzzRequest): Promise<{ response: FuzzResponse; before: Snapshot }> {
  crashes.take(); // a failed run before this one (while shrinking) may have left its crash behind
  const before = await tables();
  last = undefined; // until this request is accounted for
  const response = await crashes
    .during((signal) => send(app.url, request, signal))
    .catch((error: unknown) => {
      expect(crashes.take(), `unhandled error during ${describeRequest(request)}`).toEqual([]);
      throw error;
    });
  const what = `${describeRequest(request)} -> ${response.status} ${response.text.slice(0, 300)}`;
  expect(response.status, `5xx for ${what}`).toBeLessThan(500);
  const route = dispatched(request)?.route;
  const accepted = route && response.status >= 200 && response.status < 300;
  if (accepted && functionOf(route) === 'uploadImage')
    processedLater.add((parse(response.text) as { image_id: string }).image_id);
  // Likes and thumbnails are applied after the answer: wait for them before comparing.
  if (accepted) await settle();
  const after = await tables(true);
  const changes = diff(before, after);
  const unexplained = changes.filter((c) => !permitted(request, response, c));
  expect(unexplained, `data changed by ${what}`).toEqual([]);
  // A like that can never be applied is dropped, not retried into the dead-letter queue.
  if (accepted && functionOf(route) === 'likes')
    expect(await deadLetters(), `dead letters after ${what}`).toBe(0);
  await expectAlive(what);
  return { response, before };
}

async function expectAlive(after: string) {
  expect(crashes.take(), `unhandled error after ${after}`).toEqual([]);
  const health = await app.request('GET', '/users?limit=1');
  expect(health.status, `health request after ${after}`).toBe(200);
}

const schemaRoutes = routes.filter((r) => schemaOf(r));
const paramRoutes = routes.filter((r) => paramNames(r).length > 0);

/** A request to `route` with these credentials, path ids and body. */
function toRequest(
  route: RouteDefinition,
  segments: readonly string[],
  style: number,
  authKind: AuthKind,
  body?: { body: Buffer; contentType?: string },
  query = '',
): FuzzRequest {
  return {
    method: route.method,
    path: fillPath(route, segments, style) + query,
    headers: {
      ...auth[authKind],
      ...(body?.contentType !== undefined ? { 'content-type': body.contentType } : {}),
    },
    ...(body ? { body: body.body } : {}),
  };
}

const jsonBody = (value: unknown) => ({
  body: Buffer.from(JSON.stringify(value)),
  contentType: 'application/json',
});

describe('fuzz: requests derived from the route table', () => {
  it(
    'accepts valid bodies from every request schema, and a valid new user is stored as sent',
    async () => {
      const arbitrary = fc.constantFrom(...schemaRoutes).chain((route) =>
        fc.record({
          route: fc.constant(route),
          value: validValue(schemaOf(route)!, known()),
          id: fc.constantFrom(...ids.users, ...ids.images),
        }),
      );
      await fc.assert(
        fc.asyncProperty(arbitrary, async ({ route, value, id }) => {
          const request = toRequest(route, [id], 0, 'valid', jsonBody(value));
          const { response, before } = await check(request);
          // Valid input to an existing resource is not refused (a few may be: a too-large upload is 413).
          if (functionOf(route) === 'createUser') {
            expect(response.status, response.text).toBe(201);
            expect(parse(response.text)).toMatchObject(value as object);
          }
          if (functionOf(route) === 'patchUser' && before.users.has(id))
            expect(response.status, response.text).toBe(200);
        }),
        config.params(25),
      );
    },
    config.timeoutMs,
  );

  it(
    'refuses mutated bodies (types, bounds, unicode, huge numbers, prototype keys, bad UTF-8, content types) with a 4xx',
    async () => {
      const arbitrary = fc.constantFrom(...schemaRoutes).chain((route) =>
        fc.record({
          route: fc.constant(route),
          body: mutatedBody(schemaOf(route)!, known()),
          id: fc.constantFrom(...ids.users, ...ids.images),
        }),
      );
      await fc.assert(
        fc.asyncProperty(arbitrary, async ({ route, body, id }) => {
          await check(toRequest(route, [id], 0, 'valid', body));
        }),
        config.params(50),
      );
    },
    config.timeoutMs,
  );

  it(
    'answers hostile path ids and query strings with a 4xx or a real answer, never a 5xx',
    async () => {
      const listUsers = routes.find((r) => r.method === 'GET' && functionOf(r) === 'listUsers');
      const arbitrary = fc.constantFrom(...paramRoutes, ...(listUsers ? [listUsers] : [])).chain((route) =>
        fc.record({
          route: fc.constant(route),
          ids: fc.array(pathId([...ids.users, ...ids.images]), { minLength: 1, maxLength: 2 }),
          style: fc.nat({ max: 3 }),
          query: hostileQuery,
          body: schemaOf(route)
            ? validValue(schemaOf(route)!, known()).map(jsonBody)
            : fc.constant(undefined),
        }),
      );
      await fc.assert(
        fc.asyncProperty(arbitrary, async ({ route, ids: segments, style, query, body }) => {
          await check(toRequest(route, segments, style, 'valid', body, query));
        }),
        config.params(50),
      );
    },
    config.timeoutMs,
  );

  it(
    'refuses bad credentials and odd methods and headers without a 5xx or a side effect',
    async () => {
      const arbitrary = fc.constantFrom(...routes).chain((route) =>
        fc.record({
          route: fc.constant(route),
          method: fc.option(oddMethod, { freq: 2 }),
          auth: authKinds,
          headers: oddHeaders,
          id: pathId([...ids.users, ...ids.images]),
          extraPath: fc.constantFrom('', '', '', '/', '//', '/x', '/..', '%2F'),
          body: schemaOf(route)
            ? validValue(schemaOf(route)!, known()).map(jsonBody)
            : fc.constant(undefined),
        }),
      );
      await fc.assert(
        fc.asyncProperty(
          arbitrary,
          async ({ route, method, auth: authKind, headers, id, extraPath, body }) => {
            const base = toRequest(route, [id], 0, authKind, body);
            const request: FuzzRequest = {
              ...base,
              method: method ?? route.method,
              path: base.path + extraPath,
              headers: { ...headers, ...base.headers },
            };
            const { response } = await check(request);
            // Bad credentials on the route's own method and path never get through.
            const credential =
              route.auth.kind === 'apiKey'
                ? ['none', 'badKey']
                : route.auth.kind === 'jwt'
                  ? [
                      'none',
                      'expired',
                      'numericSub',
                      'emptySub',
                      'wrongSecret',
                      'algNone',
                      'garbage',
                      ...(route.auth.scopes ? ['noScopes'] : []),
                    ]
                  : [];
            if (credential.includes(authKind) && request.method === route.method && extraPath === '')
              expect([401, 403], `${describeRequest(request)} -> ${response.status}`).toContain(
                response.status,
              );
          },
        ),
        config.params(50),
      );
    },
    config.timeoutMs,
  );
});

describe('fuzz: image uploads', () => {
  const upload = routes.find((r) => functionOf(r) === 'uploadImage');
  const bytes = (a: fc.Arbitrary<Uint8Array>) => a.map((b) => Buffer.from(b));
  const imageBody = fc.oneof(
    bytes(fc.uint8Array({ maxLength: 2000 })),
    fc.nat({ max: PNG.length }).map((n) => PNG.subarray(0, n)),
    bytes(fc.uint8Array({ minLength: 1, maxLength: 500 })).map((tail) => Buffer.concat([PNG, tail])),
    bytes(fc.uint8Array({ maxLength: 500 })).map((tail) => Buffer.concat([PNG.subarray(0, 16), tail])),
    bytes(fc.uint8Array({ maxLength: 500 })).map((tail) =>
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), tail]),
    ),
    bytes(fc.uint8Array({ maxLength: 500 })).map((tail) => Buffer.concat([Buffer.from('GIF89a'), tail])),
    fc.constant(PNG),
  );
  const contentType = fc.constantFrom<string | undefined>(
    'image/png',
    'image/jpeg',
    'image/gif',
    'image/webp',
    'image/svg+xml',
    'IMAGE/PNG',
    'image/png; charset=binary',
    'application/octet-stream',
    'application/json',
    undefined,
  );

  it(
    'answers any bytes under any content type without a 5xx, and every accepted upload ends ready or failed',
    async () => {
      if (!upload) throw new Error('the route table has no upload route');
      const failuresBefore = app.asyncInvoker.failures.length;
      await fc.assert(
        fc.asyncProperty(imageBody, contentType, async (body, type) => {
          const request = toRequest(upload, [], 0, 'valid', {
            body,
            ...(type !== undefined ? { contentType: type } : {}),
          });
          const { response } = await check(request);
          if (response.status !== 201) return;
          const { image_id } = parse(response.text) as { image_id: string };
          const read = await app.request('GET', `/metadata/${encodeURIComponent(image_id)}`);
          expect(['ready', 'failed'], `image ${image_id} after ${describeRequest(request)}`).toContain(
            read.body?.status,
          );
          // A broken image is a permanent failure: marked failed, not parked as a failed invocation.
          expect(app.asyncInvoker.failures.length).toBe(failuresBefore);
        }),
        config.params(20),
      );
    },
    config.timeoutMs,
  );
});

describe('fuzz: what no well-behaved HTTP client sends', () => {
  it('answers a HEAD whose headers are too large with a 431 and no body (found by pnpm fuzz)', async () => {
    // Seed 636505421: Node's client refused the answer ("Data after `Connection: close`").
    const response = await send(app.url, {
      method: 'HEAD',
      path: '/users',
      headers: { 'x-long': 'v'.repeat(MAX_HEADER_BYTES) },
    });
    expect(response).toMatchObject({ status: 431, text: '' });
    await expectAlive('HEAD with oversized headers');
  });

  it('answers 413 to a body over the gateway payload limit, changes nothing and keeps serving', async () => {
    const route = routes.find((r) => schemaOf(r) && r.auth.kind === 'jwt');
    if (!route) throw new Error('the route table has no JSON route behind a token');
    const request = toRequest(route, ids.users, 0, 'valid', {
      body: Buffer.alloc(MAX_GATEWAY_PAYLOAD_BYTES + 1, 0x20),
      contentType: 'application/json',
    });
    const { response } = await check(request);
    expect(response.status).toBe(413);
  });

  // Text, one byte per character (latin1), so a counterexample prints readably.
  const get = (head: string) => `${head}\r\n\r\n`;
  const post = (length: number, sent: string) =>
    `POST /users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n` +
    `x-api-key: KEY\r\n\r\n${sent}`;
  const rawRequest = fc.oneof(
    // A Host the URL cannot be built from.
    fc
      .constantFrom('a b', '[', '[::1', '%', 'h:99999', 'h:abc', '', 'a/b', 'caf\u00e9', 'x@y', '..', '\t')
      .map((host) => ({
        bytes: get(`GET /users HTTP/1.1\r\nHost: ${host}\r\nx-api-key: KEY`),
        after: 'end' as const,
      })),
    // Request lines and framing Node's parser refuses.
    fc
      .constantFrom(
        'GARBAGE',
        'GET /users HTTP/9.9\r\nHost: h',
        'GET  HTTP/1.1\r\nHost: h',
        'GET /users HTTP/1.1',
        'GET /us\u0000ers HTTP/1.1\r\nHost: h',
        'GET http://other.example/users HTTP/1.1\r\nHost: h',
        'GET * HTTP/1.1\r\nHost: h',
        'GET /users HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2',
        'POST /users HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
        'POST /users HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3',
        'GET /users HTTP/1.1\r\nHost: h\r\nBad Header: x',
      )
      .map((head) => ({ bytes: get(head), after: 'end' as const })),
    // Headers over Node's limit (16 KiB in all): API Gateway answers 431 or drops them too.
    fc.integer({ min: 17_000, max: 70_000 }).map((n) => ({
      bytes: get(`GET /users HTTP/1.1\r\nHost: h\r\nx-big: ${'b'.repeat(n)}`),
      after: 'end' as const,
    })),
    // A body cut short: the client half-closes, or resets the connection mid-body.
    fc
      .record({
        length: fc.integer({ min: 2, max: 5_000_000 }),
        cut: fc.nat(),
        after: fc.constantFrom('end' as const, 'abort' as const),
      })
      .map(({ length, cut, after }) => ({
        bytes: post(
          length,
          '{"name":"x","age":20,"email":"a@b.io"}'.slice(0, 1 + (cut % (Math.min(length, 30) - 1))),
        ),
        after,
      })),
  );

  it(
    'keeps serving after bad Host headers, malformed requests, oversized headers and aborted bodies',
    async () => {
      await fc.assert(
        fc.asyncProperty(rawRequest, async ({ bytes, after }) => {
          const sent = Buffer.from(bytes.replaceAll('KEY', app.apiKey), 'latin1');
          const what = JSON.stringify(sent.subarray(0, 160).toString('latin1'));
          crashes.take();
          const before = await tables();
          last = undefined;
          const outcome = await crashes.during((signal) => sendRaw(app.url, sent, after, signal));
          expect(crashes.take(), `unhandled error after ${what}`).toEqual([]);
          expect(outcome.kind, `no answer and no close for ${what}`).not.toBe('hung');
          if (outcome.kind === 'answered')
            expect(outcome.status, `${outcome.head} for ${what}`).toBeLessThan(500);
          expect(diff(before, await tables(true)), `data changed by ${what}`).toEqual([]);
          await expectAlive(what);
        }),
        config.params(20),
      );
    },
    config.timeoutMs,
  );
});
