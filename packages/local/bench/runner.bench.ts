/**
 * Foundation bench: every function's deployed artefact — sizes, cold import and first
 * invocation as Lambda runs them (function-cold-starts.ts) — and the local runner's own overhead
 * on GET /users/{id} under load (autocannon, 20 connections, in its own process) next to the
 * same handler called directly in-process with the same concurrency.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Bench, type BenchTarget, type Cell, percentile } from '@snapstack/bench-kit';
import { apiSettings } from '@snapstack/domain/api-settings';
import { functions } from '@snapstack/domain/functions';
import { routeOf, routePath } from '@snapstack/domain/routes';
import { REPO_ROOT } from '@snapstack/packager/bundle';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { buildProxyEvent } from '../src/gateway/proxy-event.js';
import { lambdaContext } from '../src/lambda/invoke.js';
import { startTestRunner } from '../src/testing.js';
import { functionColdStarts } from './function-cold-starts.js';

const CONNECTIONS = 20;
const DURATION_S = 8;

export default (async ({ workDir, log }) => {
  const rows: Record<string, Cell>[] = [];
  const targets: BenchTarget[] = [];
  const notes: string[] = [];

  // The usage plan (50 req/s per key) would throttle the load; lift it so the runner itself is
  // measured. Started first: each cold import below gets that function's local environment
  // (tables, buckets, queue URLs, endpoints), as the runner hands it to the function.
  const runner = await startTestRunner({
    auth: { usagePlan: { rateLimit: 1e9, burstLimit: 1e9, quota: { limit: 1e12, period: 'DAY' } } },
  });
  try {
    // 1. Runner overhead under load.
    const created = await runner.request(routeOf('createUser').method, routePath('createUser', {}), {
      json: { name: 'Bench', age: 40, email: 'bench@example.com' },
    });
    const user = created.body as { id: string };
    const url = `${runner.url}${routePath('getUser', { id: user.id })}`;
    const getUser = `${routeOf('getUser').method} ${routeOf('getUser').path}`;

    const direct = await loadDirect(await runner.handler('getUser'), user.id);
    // GET /users/{id} takes an API key (no authorizer runs), as in AWS.
    const viaRunner = await autocannon(url, { 'x-api-key': runner.apiKey }, workDir);
    const overhead = viaRunner.p50 / direct.p50;
    rows.push(
      {
        measure: `${getUser} handler direct`,
        'req/s': direct.rps,
        'p50 ms': direct.p50,
        'p99 ms': direct.p99,
      },
      {
        measure: `${getUser} via local runner`,
        'req/s': viaRunner.rps,
        'p50 ms': viaRunner.p50,
        'p99 ms': viaRunner.p99,
      },
    );
    targets.push({
      name: 'runner p50 latency / direct handler p50 (20 concurrent)',
      value: overhead,
      target: '<= 1.25x',
      pass: overhead <= 1.25,
    });
    // 2. Every function's deployed artefact: cold import and first invocation, as Lambda runs it.
    // Last: its cold imports block this process (and so the runner in it) for minutes, after which
    // a pooled keep-alive connection to the runner may already be closed under the next request.
    const coldStarts = await functionColdStarts(runner, workDir, log);
    rows.push(...coldStarts.rows);
    targets.push(...coldStarts.targets);
    notes.push(...coldStarts.notes);
  } finally {
    await runner.close();
  }

  return {
    name: 'runner',
    title: 'Function cold starts (deployed artefacts, Node 22) and local runner overhead',
    rows,
    targets,
    notes: [
      ...notes,
      `Load: ${CONNECTIONS} connections for ${DURATION_S}s each; autocannon runs in its own process, the direct loop in the runner's process with the same concurrency.`,
    ],
  };
}) satisfies Bench;

async function loadDirect(handler: (event: unknown, context: unknown) => Promise<unknown>, id: string) {
  const latencies: number[] = [];
  const deadline = performance.now() + DURATION_S * 1000;
  const event = getUserEvent(id);
  const context = benchContext('getUser');
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        const result = (await handler(event, context)) as { statusCode: number };
        if (result.statusCode !== 200) throw new Error(`direct call answered ${result.statusCode}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/**
 * The proxy event the local gateway builds for `GET /users/{id}` (its own buildProxyEvent): the
 * handler called in-process gets what it gets behind the gateway.
 */
function getUserEvent(id: string): APIGatewayProxyEvent {
  const { method, path: resource } = routeOf('getUser');
  const path = routePath('getUser', { id });
  return buildProxyEvent(
    {
      method,
      url: new URL(path, 'http://127.0.0.1'),
      rawHeaders: ['Host', '127.0.0.1'],
      body: Buffer.alloc(0),
      sourceIp: '127.0.0.1',
      requestId: 'bench',
      receivedAt: new Date(),
    },
    { stage: 'local', resource, pathParameters: { id }, binaryMediaTypes: apiSettings.binaryMediaTypes },
  );
}

function benchContext(functionName: string): Context {
  const fn = functions.getUser;
  return lambdaContext(functionName, fn.memoryMb, fn.timeoutSeconds * 1000, 'bench');
}

async function autocannon(url: string, headers: Record<string, string>, workDir: string) {
  const require = createRequire(path.join(REPO_ROOT, 'package.json'));
  const bin = path.join(path.dirname(require.resolve('autocannon/package.json')), 'autocannon.js');
  mkdirSync(workDir, { recursive: true });
  const args = [bin, '-c', String(CONNECTIONS), '-d', String(DURATION_S), '-j', '--renderStatusCodes'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  args.push(url);
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`autocannon exited ${code}`))));
  });
  const result = JSON.parse(output) as {
    requests: { average: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
  };
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`autocannon saw ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}
