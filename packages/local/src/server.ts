/**
 * `createServer()` — all of Snapstack on one machine: the local API Gateway in front of the
 * real handlers, and the AWS emulators they talk to through the same SDK calls as in AWS.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { apiSettings, corsOrigins } from '@snapstack/domain/api-settings';
import type { BucketId } from '@snapstack/domain/buckets';
import { CORS_ORIGINS_ENV } from '@snapstack/domain/cors';
import { type FunctionId, functionNameEnvVar, functions } from '@snapstack/domain/functions';
import { resourceName } from '@snapstack/domain/naming';
import type { QueueId } from '@snapstack/domain/queues';
import { routes } from '@snapstack/domain/routes';
import { tables } from '@snapstack/domain/tables';
import { sqsOnFailure } from './lambda/async-destination.js';
import { AsyncInvoker } from './lambda/async-invoke.js';
import { createAuthStage } from './gateway/auth-stage.js';
import { type DevCredentials, loadDevCredentials } from './cli/credentials.js';
import type { UsagePlanLimits } from './gateway/usage-plan.js';
import { createCors } from './gateway/cors.js';
import { clearDataDir, lockDataDir, REPO_ROOT } from './cli/data-dir.js';
import { ensureTables, startDynamoDb } from './emulators/dynamodb.js';
import { type DynamoDbFault, startFaultProxy } from './emulators/fault-proxy.js';
import { startLambda } from './lambda/invoke-api.js';
import { assertPortFree, listen } from './emulators/support.js';
import { PortInUseError } from './cli/errors.js';
import { FunctionHost } from './lambda/function-host.js';
import {
  type Authenticate,
  createGatewayServer,
  type HttpLimits,
  LocalGateway,
  requestListener,
} from './gateway/gateway.js';
import { startImageStorage } from './event-sources/s3-notifications.js';
import { lambdaContext, localFunctionArn } from './gateway/proxy-event.js';
import { type QueueOptions, startEventSources, startLocalQueues } from './sqs/queues.js';
import { compileRoutes } from './gateway/route-matcher.js';
import { startSchedules } from './lambda/scheduler.js';

export { DEFAULT_DATA_DIR, REPO_ROOT } from './cli/data-dir.js';
export type { DynamoDbCall, DynamoDbFault } from './emulators/fault-proxy.js';

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
  /** Overrides of the auth stage's settings (defaults: `apiSettings`). */
  readonly auth?: {
    readonly resultTtlSeconds?: number;
    readonly usagePlan?: UsagePlanLimits;
    readonly corsOrigins?: readonly string[];
  };
  /** Queue timings (tests shorten the visibility timeout and long polls). */
  readonly queues?: QueueOptions;
  /** How long a client may take to send its request (tests shorten them). */
  readonly http?: HttpLimits;
  /** Tests only: handlers reach DynamoDB through a proxy that fails the calls this picks. */
  readonly dynamodbFault?: DynamoDbFault;
}

export interface LocalRunner {
  readonly url: string;
  readonly stage: string;
  readonly endpoints: { readonly dynamodb: string; readonly sqs: string; readonly s3: string };
  /** Physical resource names, as handlers see them in their environment. */
  readonly names: {
    readonly tables: Readonly<Record<keyof typeof tables, string>>;
    readonly queues: Readonly<Record<QueueId, string>>;
    readonly buckets: Readonly<Record<BucketId, string>>;
  };
  readonly queueUrls: Readonly<Record<QueueId, string>>;
  /** Resolves when every event source queue is drained and no batch is running. */
  settled(): Promise<void>;
  /** Starts the event source pollers when `queues.autoStart` was false. */
  startPolling(): void;
  /** The loaded handler of a catalog function, to invoke it directly (benchmarks, direct invokes). */
  handler(id: FunctionId): Promise<(event: unknown, context: unknown) => Promise<unknown>>;
  /** The dev JWT secret and API key this runner accepts (see auth/credentials.ts). */
  readonly credentials: DevCredentials;
  /** How many times the authorizer function ran (authorizer cache hits do not count). */
  authorizerInvocations(): number;
  /** Lambda async invocations (S3 notifications): `idle()`, and events that failed every attempt. */
  readonly asyncInvoker: AsyncInvoker;
  close(): Promise<void>;
}

/**
 * Starts the runner. With a data directory, it first takes the directory's lock (one runner
 * per directory) and checks its ports, so a second `pnpm dev` fails fast with a clear error
 * (`DataDirInUseError`, `PortInUseError`) before anything opens the data.
 */
export async function createServer(options: LocalRunnerOptions = {}): Promise<LocalRunner> {
  const started: Array<() => unknown> = [];
  try {
    return await start(options, started);
  } catch (error) {
    await stopAll(started); // whatever started before the failure, so the process can exit
    throw error;
  }
}

/** Stops what `start` started, last first: pollers, gateway, functions, emulators, the lock. */
async function stopAll(started: Array<() => unknown>): Promise<void> {
  const failures: unknown[] = [];
  for (const stop of started.splice(0).reverse())
    await Promise.resolve(stop()).catch((e) => failures.push(e));
  if (failures.length > 0) throw new AggregateError(failures, 'the runner did not stop cleanly');
}

async function start(options: LocalRunnerOptions, started: Array<() => unknown>): Promise<LocalRunner> {
  const stage = options.stage ?? 'local';
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dataDir = options.dataDir;
  if (dataDir) {
    started.push(lockDataDir(dataDir));
    if (options.fresh) clearDataDir(dataDir);
  }
  await assertPortFree(options.port ?? 3000, 'port');
  await assertPortFree(options.s3Port ?? 0, 's3Port');
  const credentials = loadDevCredentials(dataDir);
  const allowOrigins = options.auth?.corsOrigins ?? corsOrigins(stage);

  const dynamodb = await startDynamoDb(dataDir ? { path: path.join(dataDir, 'dynamodb') } : {});
  started.push(() => dynamodb.close());
  const tableNames = Object.fromEntries(
    Object.values(tables).map((t) => [t.id, resourceName(stage, t.id)]),
  ) as Record<keyof typeof tables, string>;
  await ensureTables(
    dynamodb.endpoint,
    Object.values(tables).map((definition) => ({ name: tableNames[definition.id], definition })),
  );

  const queues = await startLocalQueues(stage, dataDir, options.queues);
  started.push(() => queues.close());
  const faultProxy = options.dynamodbFault
    ? await startFaultProxy(dynamodb.endpoint, options.dynamodbFault)
    : undefined;
  if (faultProxy) started.push(() => faultProxy.close());
  const s3 = await startImageStorage({ stage, dataDir, port: options.s3Port ?? 0, log }).catch(
    (error: NodeJS.ErrnoException) => {
      throw error.code === 'EADDRINUSE'
        ? new PortInUseError(options.s3Port ?? 0, 's3Port', { cause: error })
        : error;
    },
  );
  started.push(() => s3.close());
  const functionName = (id: FunctionId) => resourceName(stage, id);
  const functionIds = Object.keys(functions) as FunctionId[];
  const lambda = await startLambda({
    functionIds: new Map(functionIds.map((id) => [functionName(id), id])),
    journalDir: dataDir ? path.join(dataDir, 'lambda-events') : undefined,
    log,
  });
  started.push(() => lambda.close());

  // Handlers run in this process and read their configuration from the environment, as in Lambda.
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: faultProxy?.endpoint ?? dynamodb.endpoint,
    AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
    ...Object.fromEntries(functionIds.map((id) => [functionNameEnvVar(id), functionName(id)])),
    ...queues.env,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'WARN',
    // In AWS the authorizer reads the secret from SSM (AUTH_JWT_SECRET_PARAMETER); locally there is no SSM.
    AUTH_JWT_SECRET: credentials.jwtSecret,
    [CORS_ORIGINS_ENV]: allowOrigins.join(','),
    ...Object.fromEntries(Object.values(tables).map((t) => [t.envVar, tableNames[t.id]])),
    ...s3.env,
  });

  const host = new FunctionHost(
    Object.entries(functions).map(([id, fn]) => {
      const packageDir = path.join(REPO_ROOT, 'packages', fn.package);
      return { id, packageDir, entry: path.join(packageDir, fn.entry) };
    }),
    (id) => log(`reloading ${id}: its source changed`),
  );
  started.push(() => host.close());
  await host.warmAll();
  const invoker = new AsyncInvoker({
    host,
    functions,
    functionName: (id) => functionName(id as FunctionId),
    log,
    onFailure: sqsOnFailure({
      client: queues.client,
      queueUrl: (id) => queues.urls[id as QueueId],
      functionArn: (id) => localFunctionArn(functionName(id as FunctionId)),
    }),
  });
  started.push(() => invoker.close());
  s3.connect((functionId, event, delivery) => invoker.invoke(functionId, event, delivery));
  lambda.connect({
    invokeAsync: (id, event, delivery) => invoker.invoke(id, event, delivery),
    invokeSync: async (id, event) => {
      const fn = functions[id as FunctionId];
      const context = lambdaContext(
        functionName(id as FunctionId),
        fn.memoryMb,
        fn.timeoutSeconds * 1000,
        randomUUID(),
      );
      return (await host.handler(id))(event, context);
    },
  });
  if (options.watch) host.watch([path.join(REPO_ROOT, 'packages')]);

  const authStage = createAuthStage({
    stage,
    host,
    functionName,
    apiKeys: [credentials.apiKey],
    ...options.auth,
    logError: (message, error) =>
      log(`error: ${message}${error instanceof Error ? `: ${error.stack ?? error.message}` : ''}`),
  });
  const matcher = compileRoutes(routes);
  const cors = createCors(matcher, allowOrigins);
  const gateway = new LocalGateway({
    stage,
    matcher,
    host,
    binaryMediaTypes: apiSettings.binaryMediaTypes,
    functionName,
    authenticate: options.authenticate ?? authStage.authenticate,
    sqs: queues,
    logError: (message, error) =>
      log(`error: ${message}${error instanceof Error ? `: ${error.stack ?? error.message}` : ''}`),
  });

  const server: Server = createGatewayServer(requestListener(gateway, log, cors), log, options.http);
  await listen(server, options.port ?? 3000).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE'
      ? new PortInUseError(options.port ?? 3000, 'port', { cause: error })
      : error;
  });
  started.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const eventSources = startEventSources(host, queues, functionName, log, options.queues);
  started.push(() => eventSources.stop());
  // Scheduler invokes Lambda asynchronously; a run ends when the invocation was handled.
  const schedules = startSchedules({
    functions,
    run: (id) => new Promise((resolve) => invoker.invoke(id, {}, { onHandled: resolve })),
    log,
  });
  started.push(() => schedules.close());
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    stage,
    endpoints: { dynamodb: dynamodb.endpoint, sqs: queues.endpoint, s3: s3.endpoint },
    names: { tables: tableNames, queues: queues.names, buckets: s3.bucketNames },
    queueUrls: queues.urls,
    settled: eventSources.settled,
    startPolling: eventSources.start,
    handler: (id) => host.handler(id),
    credentials,
    authorizerInvocations: authStage.authorizerInvocations,
    asyncInvoker: invoker,
    close: () => stopAll(started),
  };
}
