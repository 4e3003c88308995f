/**
 * The AWS emulators the runner starts, with the domain's tables, queues and buckets under the
 * stage's names, and what each function's environment needs of them: names and endpoints.
 */
import path from 'node:path';
import type { ResourceNames } from '@snapstack/domain/function-environment';
import { functions } from '@snapstack/domain/functions';
import { resourceName } from '@snapstack/domain/naming';
import { type TableId, tables } from '@snapstack/domain/tables';
import { PortInUseError } from '../cli/errors.js';
import { startImageDelivery } from '../delivery/image-delivery.js';
import { startImageStorage } from '../event-sources/s3-notifications.js';
import { startLambda } from '../lambda/invoke-api.js';
import { type QueueOptions, startLocalQueues } from '../sqs/queues.js';
import { ensureTables, startDynamoDb } from './dynamodb.js';
import { type DynamoDbFault, startFaultProxy } from './fault-proxy.js';

export interface EmulatorOptions {
  readonly dataDir?: string | undefined;
  readonly s3Port?: number;
  /** The thumbnail delivery server's port; 0 (default) picks a free one. */
  readonly deliveryPort?: number;
  readonly queues?: QueueOptions;
  readonly dynamodbFault?: DynamoDbFault;
}

/** The AWS emulators, with the domain's tables, queues and buckets under the stage's names. */
export async function startEmulators(
  options: EmulatorOptions,
  stage: string,
  log: (line: string) => void,
  started: Array<() => unknown>,
) {
  const { dataDir } = options;
  const dynamodb = await startDynamoDb(dataDir ? { path: path.join(dataDir, 'dynamodb') } : {});
  started.push(() => dynamodb.close());
  const tableNames = Object.fromEntries(
    Object.values(tables).map((t) => [t.id, resourceName(stage, t.id)]),
  ) as Record<TableId, string>;
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
  // The stage's CDN, locally: thumbnail URLs in API responses point here.
  const delivery = await startImageDelivery({
    s3Endpoint: s3.endpoint,
    bucket: s3.bucketNames.images,
    port: options.deliveryPort ?? 0,
    log,
  });
  started.push(() => delivery.close());
  const lambda = await startLambda({
    functionIds: new Map(Object.keys(functions).map((id) => [resourceName(stage, id), id])),
    journalDir: dataDir ? path.join(dataDir, 'lambda-events') : undefined,
    log,
  });
  started.push(() => lambda.close());
  const names: ResourceNames = {
    tables: tableNames,
    buckets: s3.bucketNames,
    queueUrls: queues.urls,
    imageDeliveryUrl: delivery.url,
  };
  const endpoints = {
    // Handlers reach DynamoDB through the fault proxy when a test brings one.
    dynamodb: faultProxy?.endpoint ?? dynamodb.endpoint,
    sqs: queues.endpoint,
    s3: s3.endpoint,
    lambda: lambda.endpoint,
    imageDelivery: delivery.url,
  };
  return { dynamodbEndpoint: dynamodb.endpoint, queues, s3, lambda, names, endpoints };
}

export type Emulators = Awaited<ReturnType<typeof startEmulators>>;
