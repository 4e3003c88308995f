/**
 * The shape of a catalog function (functions.ts): its runtime needs, what it may touch (infra
 * turns `access` into least-privilege IAM, action by action) and its triggers.
 */
import type { BucketId, S3EventType } from './buckets.js';
import type { ParameterId } from './parameters.js';
import type { QueueId } from './queues.js';
import type { TableId, tables } from './tables.js';

/** What a function may touch; infra turns this into its IAM policy, action by action. */
export interface FunctionAccess {
  /** Actions on the table itself (never on its indexes: those are `dynamodbIndexes`). */
  readonly dynamodb?: Partial<Record<TableId, readonly DynamoDbAction[]>>;
  /**
   * Reads of one global secondary index, by table and index name:
   * `{ images: { 'by-owner': ['Query'] } }` grants exactly `table/<name>/index/by-owner`.
   */
  readonly dynamodbIndexes?: { readonly [T in TableId]?: IndexAccess<T> };
  /** SSM parameters (see ./parameters.ts); SecureStrings use the account's `aws/ssm` key. */
  readonly ssm?: Partial<Record<ParameterId, readonly SsmAction[]>>;
  readonly sqs?: Partial<Record<QueueId, readonly SqsAction[]>>;
  /** Exact S3 actions on key prefixes of a bucket: `{ images: [{ actions: ['s3:GetObject'], prefix: 'uploads/' }] }`. */
  readonly s3?: Partial<Record<BucketId, readonly S3Grant[]>>;
  /**
   * Other functions of the catalog this one invokes, by id (a `FunctionId`; typed as a string
   * because the catalog's type is inferred from the catalog itself — `functionsInvokedBy`
   * checks the ids). The caller reads the callee's name from `functionNameEnvVar(id)`.
   */
  readonly lambda?: Readonly<Record<string, readonly LambdaAction[]>>;
}

/** `s3:ListBucket` is granted on the bucket, narrowed to the prefix by the `s3:prefix` condition. */
export type S3Action = 's3:GetObject' | 's3:PutObject' | 's3:DeleteObject' | 's3:ListBucket';

export type LambdaAction = 'InvokeFunction';

/** `actions` on `arn:aws:s3:::<bucket>/<prefix>*` (`s3:ListBucket`: on the bucket, keys under `prefix`). */
export interface S3Grant {
  readonly actions: readonly S3Action[];
  readonly prefix: string;
}

/**
 * How Lambda treats asynchronous invocations of a function (S3 notifications are async):
 * infra renders `aws_lambda_function_event_invoke_config`; the local runner retries the same way.
 */
export interface AsyncInvokeSettings {
  /** 0-2; Lambda retries a failed async invoke this many times. */
  readonly maximumRetryAttempts: number;
  /** 60-21600; older events are dropped to the on-failure destination. */
  readonly maximumEventAgeSeconds: number;
  /** Logical SQS queue id receiving events that failed every attempt. */
  readonly onFailureQueue: string;
}

export type SsmAction = 'GetParameter';

/** An event source mapping's consumer needs Receive/Delete/GetQueueAttributes on its queue. */
export type SqsAction =
  | 'SendMessage'
  | 'ReceiveMessage'
  | 'DeleteMessage'
  | 'GetQueueAttributes'
  | 'ChangeMessageVisibility';

/** What invokes a function besides the API. */
export type EventSource = SqsEventSource | S3Notification;

/** An SQS event source mapping (infra) or poller (local runner). */
export interface SqsEventSource {
  readonly kind: 'sqs';
  readonly queue: QueueId;
  /** Records per invocation, 1-10 (default 10). */
  readonly batchSize: number;
  /** The function answers `batchItemFailures`; only those records are redelivered. */
  readonly reportBatchItemFailures: boolean;
}

/**
 * An S3 -> Lambda notification, as `aws_s3_bucket_notification.lambda_function` takes it; the
 * function is invoked asynchronously (its `asyncInvoke` settings apply).
 */
export interface S3Notification {
  readonly kind: 's3';
  readonly bucket: BucketId;
  /** The notification's id (S3's `configurationId` in event records). */
  readonly id: string;
  readonly events: readonly S3EventType[];
  readonly filterPrefix?: string;
  readonly filterSuffix?: string;
}

/** The actions DynamoDB authorizes on an index ARN. */
export type DynamoDbIndexAction = 'Query' | 'Scan';

/** Index name -> actions, for the indexes `tables.ts` declares on table `T`. */
export type IndexAccess<T extends TableId> = {
  readonly [I in IndexName<T>]?: readonly DynamoDbIndexAction[];
};

type IndexName<T extends TableId> = (typeof tables)[T] extends {
  readonly globalSecondaryIndexes: readonly (infer G)[];
}
  ? G extends { readonly name: infer N extends string }
    ? N
    : never
  : never;

export type DynamoDbAction =
  | 'GetItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'Query'
  | 'Scan'
  | 'BatchGetItem'
  | 'BatchWriteItem';

export interface FunctionDefinition {
  /** Workspace package directory under `packages/`. */
  readonly package: string;
  /** Entry module, relative to the package; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly access: FunctionAccess;
  readonly events?: readonly EventSource[];
  /**
   * Native packages (e.g. `sharp`) left out of the bundle and shipped beside it, installed for
   * the Lambda platform (linux-arm64, glibc) at the exact version the function's package.json
   * pins. Infra's artefact build (`pnpm artifacts`) reads this; nothing else needs to.
   */
  readonly nativeDependencies?: readonly string[];
  /** For functions invoked asynchronously (event sources such as S3 notifications). */
  readonly asyncInvoke?: AsyncInvokeSettings;
  /**
   * Run on a schedule: infra creates an EventBridge Scheduler schedule invoking the function;
   * the local runner runs the same handler at startup and then on the same period.
   */
  readonly schedule?: Schedule;
}

export interface Schedule {
  /** The period, in whole minutes (EventBridge Scheduler's `rate(n minutes)`). */
  readonly everyMinutes: number;
}
