/**
 * `createServer()` — all of Snapstack on one machine: the local API Gateway in front of the
 * real handlers, and the AWS emulators they talk to through the same SDK calls as in AWS.
 */
import { rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BucketId } from '@snapstack/domain/buckets';
import { MAX_GATEWAY_PAYLOAD_BYTES } from '@snapstack/domain/gateway';
import { resourceName } from '@snapstack/domain/naming';
import { apiSettings, type FunctionId, functions, routes } from '@snapstack/domain/routes';
import { tables } from '@snapstack/domain/tables';
import { AsyncInvoker } from './async-invoke.js';
import { ensureTables, startDynamoDb } from './emulators/dynamodb.js';
import { listen } from './emulators/support.js';
import { FunctionHost } from './function-host.js';
import { type Authenticate, gatewayAnswer, LocalGateway } from './gateway.js';
import { startImageStorage } from './image-storage.js';
import { readRequest } from './proxy-event.js';
import { compileRoutes } from './route-matcher.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DEFAULT_DATA_DIR = path.join(REPO_ROOT, '.snapstack', 'data');

export interface LocalRunnerOptions {
  /** 0 picks a free port. Default 3000. */
  readonly port?: number;
  readonly host?: string;
  readonly stage?: string;
  /** Where emulators persist state; `undefined` keeps everything in memory. */
  readonly dataDir?: string | undefined;
  /** Delete `dataDir` before starting. */
  readonly fresh?: boolean;
  /** Reload a handler when a source file it was built from changes. */
  readonly watch?: boolean;
  /** One line per request and per notable event. */
  readonly log?: (line: string) => void;
  /** The local S3 endpoint's port; 0 (default) picks a free one. */
  readonly s3Port?: number;
  /** Replaces the gateway's auth stage (tests of other stages only). */
  readonly authenticate?: Authenticate;
}

export interface LocalRunner {
  readonly url: string;
  readonly stage: string;
  readonly endpoints: { readonly dynamodb: string; readonly s3: string };
  /** Physical resource names, as handlers see them in their environment. */
  readonly names: {
    readonly tables: Readonly<Record<keyof typeof tables, string>>;
    readonly buckets: Readonly<Record<BucketId, string>>;
  };
  /** Lambda async invocations (S3 notifications): `idle()`, and events that failed every attempt. */
  readonly asyncInvoker: AsyncInvoker;
  close(): Promise<void>;
}

export async function createServer(options: LocalRunnerOptions = {}): Promise<LocalRunner> {
  const stage = options.stage ?? 'local';
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dataDir = options.dataDir;
  if (dataDir && options.fresh) rmSync(dataDir, { recursive: true, force: true });

  const dynamodb = await startDynamoDb(dataDir ? { path: path.join(dataDir, 'dynamodb') } : {});
  const tableNames = Object.fromEntries(
    Object.values(tables).map((t) => [t.id, resourceName(stage, t.id)]),
  ) as Record<keyof typeof tables, string>;
  await ensureTables(
    dynamodb.endpoint,
    Object.values(tables).map((definition) => ({ name: tableNames[definition.id], definition })),
  );

  let invoker: AsyncInvoker | undefined;
  const s3 = await startImageStorage({
    stage,
    dataDir,
    port: options.s3Port ?? 0,
    deliver: (functionId, event) => invoker?.invoke(functionId, event),
  });

  // Handlers run in this process and read their configuration from the environment, as in Lambda.
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'WARN',
    ...Object.fromEntries(Object.values(tables).map((t) => [t.envVar, tableNames[t.id]])),
    ...s3.env,
  });

  const functionName = (id: FunctionId) => resourceName(stage, id);
  const host = new FunctionHost(
    Object.entries(functions).map(([id, fn]) => {
      const packageDir = path.join(REPO_ROOT, 'packages', fn.package);
      return { id, packageDir, entry: path.join(packageDir, fn.entry) };
    }),
    (id) => log(`reloading ${id}: its source changed`),
  );
  await host.warmAll();
  invoker = new AsyncInvoker({ host, functions, functionName: (id) => functionName(id as FunctionId), log });
  if (options.watch) host.watch([path.join(REPO_ROOT, 'packages')]);

  const gateway = new LocalGateway({
    stage,
    matcher: compileRoutes(routes),
    host,
    binaryMediaTypes: apiSettings.binaryMediaTypes,
    functionName,
    ...(options.authenticate ? { authenticate: options.authenticate } : {}),
    logError: (message, error) => log(`error: ${message}${error instanceof Error ? `: ${error.stack ?? error.message}` : ''}`),
  });

  const server: Server = createHttpServer(async (req, res) => {
    const started = performance.now();
    const request = await readRequest(req, MAX_GATEWAY_PAYLOAD_BYTES);
    const answer = request === 'too-large' ? gatewayAnswer('REQUEST_TOO_LARGE') : await gateway.handle(request);
    res.writeHead(answer.statusCode, {
      ...answer.headers,
      'content-length': answer.body.length,
      ...(request === 'too-large' ? {} : { 'x-amzn-requestid': request.requestId }),
    });
    res.end(answer.body);
    log(`${req.method} ${req.url} ${answer.statusCode} ${(performance.now() - started).toFixed(1)}ms`);
  });
  server.keepAliveTimeout = 65_000;
  await listen(server, options.port ?? 3000).catch(async (error) => {
    await s3.close();
    await dynamodb.close();
    throw error;
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    stage,
    endpoints: { dynamodb: dynamodb.endpoint, s3: s3.endpoint },
    names: { tables: tableNames, buckets: s3.bucketNames },
    asyncInvoker: invoker,
    async close() {
      host.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await invoker?.close();
      await s3.close();
      await dynamodb.close();
    },
  };
}
