/**
 * The route table: the single source of truth for Snapstack's HTTP API.
 *
 * Infra turns each route into an API Gateway resource + method (+ model, validator,
 * authorizer, integration); the local runner routes and validates with it; handlers are
 * looked up through `functions`. Nothing else spells a path or a schema.
 */

import type { BucketId } from './buckets.js';
import type { LikeMessage } from './likes.js';
import type { ParameterId } from './parameters.js';
import type { QueueId } from './queues.js';
import type { RequestSchemaName } from './schemas.js';
import type { MessageFieldSource, SqsSendMessageIntegration } from './sqs-integration.js';
import type { TableId } from './tables.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route, enforced at the gateway (issue: auth at the edge). */
export type RouteAuth =
  | { readonly kind: 'none' }
  /** A bearer JWT verified by the Lambda authorizer; `scopes` all required when present. */
  | { readonly kind: 'jwt'; readonly scopes?: readonly string[] }
  /** An API key of a usage plan (`x-api-key`). */
  | { readonly kind: 'apiKey' };

export type Integration =
  /** Lambda proxy integration to a function of the catalog. */
  | { readonly kind: 'lambda'; readonly function: FunctionId }
  /** API Gateway service integration: SQS SendMessage with a declared message (see sqs-integration.ts). */
  | SqsSendMessageIntegration;

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway resource path, with `{param}` segments. */
  readonly path: string;
  readonly auth: RouteAuth;
  /** Validated by the gateway (and the handler) when present. */
  readonly requestSchema?: RequestSchemaName;
  readonly integration: Integration;
}

/** What a function may touch; infra turns this into its IAM policy, action by action. */
export interface FunctionAccess {
  readonly dynamodb?: Partial<Record<TableId, readonly DynamoDbAction[]>>;
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

/** The environment variable carrying a function's physical name to the functions that invoke it. */
export function functionNameEnvVar(id: string): string {
  return `${id.replace(/[A-Z]/g, (c: string) => `_${c}`).toUpperCase()}_FUNCTION_NAME`;
}

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

/** What invokes a function besides the API (infra: an event source mapping; local: a poller). */
export type EventSource = {
  readonly kind: 'sqs';
  readonly queue: QueueId;
  /** Records per invocation, 1-10 (default 10). */
  readonly batchSize: number;
  /** The function answers `batchItemFailures`; only those records are redelivered. */
  readonly reportBatchItemFailures: boolean;
};

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

/** Every Lambda function of Snapstack. */
export const functions = {
  listUsers: {
    package: 'users',
    entry: 'src/handlers/list-users.ts',
    description: 'GET /users: one page of users',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { dynamodb: { users: ['Scan'] } },
  },
  getUser: {
    package: 'users',
    entry: 'src/handlers/get-user.ts',
    description: 'GET /users/{id}',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { dynamodb: { users: ['GetItem'] } },
  },
  createUser: {
    package: 'users',
    entry: 'src/handlers/create-user.ts',
    description: 'POST /users',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { dynamodb: { users: ['PutItem'] } },
  },
  patchUser: {
    package: 'users',
    entry: 'src/handlers/patch-user.ts',
    description: 'PATCH /users/{id}',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { dynamodb: { users: ['UpdateItem'] } },
  },
  deleteUser: {
    package: 'users',
    entry: 'src/handlers/delete-user.ts',
    description: 'DELETE /users/{id}',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { dynamodb: { users: ['DeleteItem'] } },
  },
  authorizer: {
    package: 'authorizer',
    entry: 'src/handlers/authorize.ts',
    description: 'Lambda authorizer (REQUEST): verifies bearer JWTs, returns the policy for all routes',
    memoryMb: 256,
    timeoutSeconds: 5,
    access: { ssm: { jwtSecret: ['GetParameter'] } },
  },
  likesWorker: {
    package: 'users',
    entry: 'src/handlers/likes-worker.ts',
    description: 'Applies like/unlike messages from the likes queue (partial batch failures)',
    memoryMb: 256,
    // The likes queue's visibility timeout (180 s) is 6x this, as AWS recommends.
    timeoutSeconds: 30,
    access: {
      dynamodb: { users: ['GetItem', 'UpdateItem'], likes: ['UpdateItem', 'Query'] },
      sqs: { likes: ['ReceiveMessage', 'DeleteMessage', 'GetQueueAttributes'] },
    },
    events: [{ kind: 'sqs', queue: 'likes', batchSize: 10, reportBatchItemFailures: true }],
  },
  uploadImage: {
    package: 'metadata-api',
    entry: 'src/handlers/upload-image.ts',
    description: 'POST /upload: store an original (<= 4.5 MB) and its pending metadata',
    memoryMb: 512,
    timeoutSeconds: 15,
    access: {
      dynamodb: { images: ['PutItem'] },
      s3: { images: [{ actions: ['s3:PutObject'], prefix: 'uploads/' }] },
    },
  },
  createUpload: {
    package: 'metadata-api',
    entry: 'src/handlers/create-upload.ts',
    description: 'POST /uploads: pending metadata and a presigned POST for a large original',
    memoryMb: 256,
    timeoutSeconds: 10,
    // The presigned POST is signed with this role, so it needs the PutObject it hands out.
    access: {
      dynamodb: { images: ['PutItem'] },
      s3: { images: [{ actions: ['s3:PutObject'], prefix: 'uploads/' }] },
    },
  },
  getMetadata: {
    package: 'metadata-api',
    entry: 'src/handlers/get-metadata.ts',
    description: 'GET /metadata/{image_id}',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { dynamodb: { images: ['GetItem'] } },
  },
  processImage: {
    package: 'metadata-api',
    entry: 'src/handlers/process-image.ts',
    description: "POST /process: regenerate an image's thumbnails synchronously",
    memoryMb: 1024,
    timeoutSeconds: 29,
    nativeDependencies: ['sharp'],
    access: {
      dynamodb: { images: ['GetItem', 'UpdateItem'] },
      s3: {
        images: [
          { actions: ['s3:GetObject'], prefix: 'uploads/' },
          { actions: ['s3:PutObject'], prefix: 'thumbnails/' },
        ],
      },
    },
  },
  thumbnailer: {
    package: 'thumbnailer',
    entry: 'src/handlers/s3-event.ts',
    description: 'S3 ObjectCreated on uploads/: thumbnails and metadata',
    memoryMb: 512,
    timeoutSeconds: 60,
    nativeDependencies: ['sharp'],
    access: {
      dynamodb: { images: ['GetItem', 'UpdateItem'] },
      s3: {
        images: [
          { actions: ['s3:GetObject'], prefix: 'uploads/' },
          { actions: ['s3:PutObject'], prefix: 'thumbnails/' },
        ],
      },
    },
    asyncInvoke: {
      maximumRetryAttempts: 2,
      maximumEventAgeSeconds: 3600,
      onFailureQueue: 'thumbnailer-failures',
    },
  },
  sweepPending: {
    package: 'thumbnailer',
    entry: 'src/handlers/sweep-pending.ts',
    description:
      'Every 15 min: re-drives pending images whose original exists, expires those whose upload never came',
    memoryMb: 256,
    timeoutSeconds: 60,
    // Never reads an original: a listing under the key tells whether it exists, and the
    // thumbnailer (invoked asynchronously, with its own retries and failure queue) does the rest.
    access: {
      dynamodb: { images: ['Query', 'UpdateItem'] },
      s3: { images: [{ actions: ['s3:ListBucket'], prefix: 'uploads/' }] },
      lambda: { thumbnailer: ['InvokeFunction'] },
    },
    schedule: { everyMinutes: 15 },
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionId = keyof typeof functions;

const usersWrite: RouteAuth = { kind: 'jwt', scopes: ['users:write'] };
const apiKey: RouteAuth = { kind: 'apiKey' };
const imagesWrite: RouteAuth = { kind: 'jwt', scopes: ['images:write'] };

/** A like or unlike as the gateway enqueues it: the liked user, the caller, the request. */
const likeIntegration = (action: 'like' | 'unlike'): SqsSendMessageIntegration => ({
  kind: 'sqsSendMessage',
  queue: 'likes',
  message: {
    userId: { from: 'path', name: 'id' },
    likerId: { from: 'authorizer', name: 'principalId' },
    action: { from: 'constant', value: action },
    requestId: { from: 'requestId' },
    at: { from: 'requestTimeEpoch' },
  } satisfies Record<keyof LikeMessage, MessageFieldSource>,
  response: { statusCode: 202, body: { message: 'accepted' } },
});

export const routes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/users', auth: apiKey, integration: { kind: 'lambda', function: 'listUsers' } },
  { method: 'GET', path: '/users/{id}', auth: apiKey, integration: { kind: 'lambda', function: 'getUser' } },
  {
    method: 'POST',
    path: '/users',
    auth: usersWrite,
    requestSchema: 'CreateUser',
    integration: { kind: 'lambda', function: 'createUser' },
  },
  {
    method: 'PATCH',
    path: '/users/{id}',
    auth: usersWrite,
    requestSchema: 'PatchUser',
    integration: { kind: 'lambda', function: 'patchUser' },
  },
  {
    method: 'DELETE',
    path: '/users/{id}',
    auth: usersWrite,
    integration: { kind: 'lambda', function: 'deleteUser' },
  },
  { method: 'POST', path: '/users/{id}/likes', auth: { kind: 'jwt' }, integration: likeIntegration('like') },
  {
    method: 'DELETE',
    path: '/users/{id}/likes',
    auth: { kind: 'jwt' },
    integration: likeIntegration('unlike'),
  },
  {
    method: 'POST',
    path: '/upload',
    auth: imagesWrite,
    integration: { kind: 'lambda', function: 'uploadImage' },
  },
  {
    method: 'POST',
    path: '/uploads',
    auth: imagesWrite,
    requestSchema: 'CreateUpload',
    integration: { kind: 'lambda', function: 'createUpload' },
  },
  {
    method: 'GET',
    path: '/metadata/{image_id}',
    auth: apiKey,
    integration: { kind: 'lambda', function: 'getMetadata' },
  },
  {
    method: 'POST',
    path: '/process',
    auth: imagesWrite,
    requestSchema: 'ProcessImage',
    integration: { kind: 'lambda', function: 'processImage' },
  },
];

/** API-wide settings that infra applies to the REST API and the local runner mirrors. */
export const apiSettings = {
  /** Bodies of these content types reach functions base64-encoded (`isBase64Encoded`). */
  binaryMediaTypes: ['image/*'] as readonly string[],
  /** The Lambda authorizer in front of every `jwt` route. */
  authorizer: {
    function: 'authorizer' satisfies FunctionId,
    type: 'REQUEST',
    /** API Gateway answers 401 without invoking the authorizer when this is missing. */
    identitySource: 'method.request.header.Authorization',
    /** Results are cached per identity source value; 0 disables caching. */
    resultTtlSeconds: 300,
    /**
     * The default token issuer: HS256 with the secret in SSM (`parameters.jwtSecret`). A stage may
     * use a JWKS issuer instead (a Cognito user pool), configured by the authorizer's environment.
     */
    sharedSecret: {
      parameter: 'jwtSecret' satisfies ParameterId,
      issuer: 'snapstack',
      audience: 'snapstack-api',
    },
  },
  /** Preflight `OPTIONS` on every resource and CORS headers on every response, gateway errors included. */
  cors: {
    /** `*` allows any origin; otherwise the request's `Origin` is echoed when listed. */
    allowOrigins: {
      default: ['*'],
      byStage: {
        dev: ['http://localhost:5173', 'http://127.0.0.1:3000'],
        staging: ['https://staging.snapstack.example'],
        prod: ['https://snapstack.example'],
      },
    } as {
      readonly default: readonly string[];
      readonly byStage: Readonly<Record<string, readonly string[]>>;
    },
    allowHeaders: ['Content-Type', 'Authorization', 'X-Api-Key', 'X-Amz-Date', 'X-Amz-Security-Token'],
    exposeHeaders: ['Location'],
    maxAgeSeconds: 600,
  },
  /** The usage plan behind `apiKey` routes (per stage, one key per client). */
  usagePlan: {
    /** Steady-state requests per second (token bucket refill rate). */
    rateLimit: 50,
    /** Bucket size: the most requests accepted at once. */
    burstLimit: 100,
    quota: { limit: 10_000, period: 'DAY' },
  },
} as const;

/** The catalog functions `id` may invoke; throws when its `access.lambda` names an unknown one. */
export function functionsInvokedBy(id: FunctionId): FunctionId[] {
  const definition: FunctionDefinition = functions[id];
  return Object.keys(definition.access.lambda ?? {}).map((callee) => {
    if (!(callee in functions)) throw new Error(`${id}: access.lambda names unknown function "${callee}"`);
    return callee as FunctionId;
  });
}

/** The CORS origins of a stage: its own list, else the default. */
export function corsOrigins(stage: string): readonly string[] {
  return apiSettings.cors.allowOrigins.byStage[stage] ?? apiSettings.cors.allowOrigins.default;
}
