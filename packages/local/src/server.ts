/**
 * `createServer()` — all of Snapstack on one machine: the local API Gateway in front of the
 * real handlers, and the AWS emulators they talk to through the same SDK calls as in AWS.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { apiSettings, corsOrigins } from '@snapstack/domain/api-settings';
import { type FunctionId, functions } from '@snapstack/domain/functions';
import { resourceName } from '@snapstack/domain/naming';
import type { QueueId } from '@snapstack/domain/queues';
import { routes } from '@snapstack/domain/routes';
import { type DevCredentials, loadDevCredentials } from './cli/credentials.js';
import { clearDataDir, lockDataDir, REPO_ROOT } from './cli/data-dir.js';
import { PortInUseError } from './cli/errors.js';
import { type Emulators, startEmulators } from './emulators/start.js';
import { assertPortFree, listen } from './emulators/support.js';
import { createAuthStage } from './gateway/auth-stage.js';
import { createCors } from './gateway/cors.js';
import { LocalGateway } from './gateway/gateway.js';
import { createGatewayServer, requestListener } from './gateway/http-server.js';
import { compileRoutes } from './gateway/route-matcher.js';
import { sqsOnFailure } from './lambda/async-destination.js';
import { AsyncInvoker } from './lambda/async-invoke.js';
import { type FunctionEnvironment, localEnvironments } from './lambda/environment.js';
import { FunctionHost } from './lambda/function-host.js';
import { createInvoke, type Invoke, localFunctionArn } from './lambda/invoke.js';
import { startSchedules } from './lambda/scheduler.js';
import { startOidcProvider } from './oidc/provider.js';
import { startEventSources } from './sqs/queues.js';

export { DEFAULT_DATA_DIR, REPO_ROOT } from './cli/data-dir.js';
export type { DynamoDbCall, DynamoDbFault } from './emulators/fault-proxy.js';
export type { InvokeOutcome } from './lambda/invoke.js';
export type { LocalRunner, LocalRunnerOptions } from './runner-types.js';

import type { LocalRunner, LocalRunnerOptions } from './runner-types.js';

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
async function stopAll(started: Started): Promise<void> {
  const failures: unknown[] = [];
  for (const stop of started.splice(0).reverse())
    await Promise.resolve(stop()).catch((e) => failures.push(e));
  if (failures.length > 0) throw new AggregateError(failures, 'the runner did not stop cleanly');
}

type Started = Array<() => unknown>;
type Log = (line: string) => void;

async function start(options: LocalRunnerOptions, started: Started): Promise<LocalRunner> {
  const stage = options.stage ?? 'local';
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dataDir = options.dataDir;
  if (dataDir) {
    started.push(lockDataDir(dataDir));
    if (options.fresh) clearDataDir(dataDir);
  }
  await assertPortFree(options.port ?? 3000, 'port');
  await assertPortFree(options.s3Port ?? 0, 's3Port');
  await assertPortFree(options.oidcPort ?? 0, 'oidcPort');
  await assertPortFree(options.deliveryPort ?? 0, 'deliveryPort');
  const credentials = loadDevCredentials(dataDir);
  // The provider starts while the emulators do: loading it and making a key is CPU the
  // emulators' start leaves idle. Its stop is registered at once, so a failed start closes it.
  const oidcStarting = startOidcProvider({ port: options.oidcPort ?? 0, dataDir, log });
  oidcStarting.catch(() => undefined); // awaited below; handled there
  started.push(async () => (await oidcStarting.catch(() => undefined))?.close());
  const aws = await startEmulators(options, stage, log, started);
  const oidc = await oidcStarting;
  const userPool = { issuer: oidc.issuer, jwksUrl: oidc.jwksUrl, clientId: oidc.clientId };
  const environments = localEnvironments({
    inherited: process.env,
    stage,
    names: { ...aws.names, userPool },
    endpoints: aws.endpoints,
    jwtSecret: credentials.jwtSecret,
    // Read, never written: a test or a shell may ask for quieter handlers.
    logLevel: process.env.LOG_LEVEL ?? 'WARN',
    ...(options.auth?.corsOrigins ? { corsOrigins: options.auth.corsOrigins } : {}),
  });
  const lambda = await startFunctions(options, stage, environments, aws, log, started);
  const { server, authStage } = await startGateway(options, stage, credentials, lambda.invoke, aws, log);
  started.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const eventSources = startEventSources(lambda.invoke, aws.queues, log, options.queues);
  started.push(() => eventSources.stop());
  // Scheduler invokes Lambda asynchronously; a run ends when the invocation was handled.
  const schedules = startSchedules({
    functions,
    run: (id) => new Promise((resolve) => lambda.invoker.invoke(id, {}, { onHandled: resolve })),
    log,
  });
  started.push(() => schedules.close());
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    stage,
    endpoints: {
      dynamodb: aws.dynamodbEndpoint,
      sqs: aws.endpoints.sqs,
      s3: aws.endpoints.s3,
      imageDelivery: aws.endpoints.imageDelivery,
    },
    names: { tables: aws.names.tables, queues: aws.queues.names, buckets: aws.names.buckets },
    queueUrls: aws.queues.urls,
    oidc: { ...userPool, redirectUris: oidc.redirectUris },
    settled: eventSources.settled,
    startPolling: eventSources.start,
    handler: (id) => lambda.host.handler(id),
    invoke: lambda.invoke,
    environment: (id) => environments[id],
    credentials,
    authorizerInvocations: authStage.authorizerInvocations,
    asyncInvoker: lambda.invoker,
    close: () => stopAll(started),
  };
}

/**
 * The functions: each catalog handler built against its own environment, the one invoke every
 * caller uses, and the async invoker that S3 notifications and `Event` invokes go through.
 */
async function startFunctions(
  options: LocalRunnerOptions,
  stage: string,
  environments: Readonly<Record<FunctionId, FunctionEnvironment>>,
  aws: Emulators,
  log: Log,
  started: Started,
) {
  const functionName = (id: string) => resourceName(stage, id);
  const host = new FunctionHost(
    Object.entries(functions).map(([id, fn]) => {
      const packageDir = path.join(REPO_ROOT, 'packages', fn.package);
      const environment = environments[id as FunctionId];
      return { id, packageDir, entry: path.join(packageDir, fn.entry), environment };
    }),
    (id) => log(`reloading ${id}: its source changed`),
  );
  started.push(() => host.close());
  await host.warmAll();
  const invoke = createInvoke({ host, functions, functionName });
  const invoker = new AsyncInvoker({
    invoke,
    functions,
    log,
    onFailure: sqsOnFailure({
      client: aws.queues.client,
      queueUrl: (id) => aws.queues.urls[id as QueueId],
      functionArn: (id) => localFunctionArn(functionName(id)),
    }),
  });
  started.push(() => invoker.close());
  aws.s3.connect((functionId, event, delivery) => invoker.invoke(functionId, event, delivery));
  aws.lambda.connect({
    invokeAsync: (id, event, delivery) => invoker.invoke(id, event, delivery),
    invokeSync: (id, event) => invoke(id, event),
  });
  if (options.watch) host.watch([path.join(REPO_ROOT, 'packages')]);
  return { host, invoke, invoker };
}

/** The local API Gateway: route table, auth stage, CORS, integrations, and its HTTP server. */
async function startGateway(
  options: LocalRunnerOptions,
  stage: string,
  credentials: DevCredentials,
  invoke: Invoke,
  aws: Emulators,
  log: Log,
) {
  const logError = (message: string, error: unknown) => log(`error: ${message}${describeError(error)}`);
  const authStage = createAuthStage({
    stage,
    invoke,
    apiKeys: [credentials.apiKey],
    ...options.auth,
    logError,
  });
  const matcher = compileRoutes(routes);
  const cors = createCors(matcher, options.auth?.corsOrigins ?? corsOrigins(stage));
  const gateway = new LocalGateway({
    stage,
    matcher,
    invoke,
    binaryMediaTypes: apiSettings.binaryMediaTypes,
    authenticate: options.authenticate ?? authStage.authenticate,
    sqs: aws.queues,
    logError,
  });
  const server: Server = createGatewayServer(requestListener(gateway, log, cors), log, options.http);
  await listen(server, options.port ?? 3000).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE'
      ? new PortInUseError(options.port ?? 3000, 'port', { cause: error })
      : error;
  });
  return { server, authStage };
}

/** A log line's detail: an Error's stack, or a Lambda error's type, message and trace. */
function describeError(error: unknown): string {
  if (error instanceof Error) return `: ${error.stack ?? error.message}`;
  const lambda = error as { errorType?: unknown; errorMessage?: unknown; trace?: unknown } | undefined;
  if (typeof lambda?.errorType !== 'string') return '';
  const trace = Array.isArray(lambda.trace) && lambda.trace.length > 0 ? `\n${lambda.trace.join('\n')}` : '';
  return `: ${lambda.errorType}: ${String(lambda.errorMessage)}${trace}`;
}
