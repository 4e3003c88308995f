/**
 * The function catalog: every Lambda function of Snapstack, what it may touch (infra turns
 * `access` into least-privilege IAM, action by action) and what invokes it besides the API
 * (`events`: SQS event source mappings, S3 notifications, schedules). Routes name functions
 * from here; buckets and queues do not, so the catalog sits above them.
 */
import { type BucketId, imagePrefixes } from './buckets.js';
import type {
  FunctionAccess,
  FunctionDefinition,
  S3Notification,
  SqsEventSource,
} from './function-definition.js';

export type * from './function-definition.js';

/** The environment variable carrying a function's physical name to the functions that invoke it. */
export function functionNameEnvVar(id: string): string {
  return `${id.replace(/[A-Z]/g, (c: string) => `_${c}`).toUpperCase()}_FUNCTION_NAME`;
}

/** Writes an original under `uploads/` (or signs a POST that does) and its pending metadata item. */
const storesPendingOriginal = {
  dynamodb: { images: ['PutItem'] },
  s3: { images: [{ actions: ['s3:PutObject'], prefix: imagePrefixes.uploads }] },
} as const satisfies FunctionAccess;

/**
 * Reads an original, writes its thumbnails and records the outcome on the metadata item; a run
 * that finds the item deleted meanwhile removes the thumbnails it wrote (DeleteObject).
 */
const makesThumbnails = {
  dynamodb: { images: ['GetItem', 'UpdateItem'] },
  s3: {
    images: [
      { actions: ['s3:GetObject'], prefix: imagePrefixes.uploads },
      { actions: ['s3:PutObject', 's3:DeleteObject'], prefix: imagePrefixes.thumbnails },
    ],
  },
} as const satisfies FunctionAccess;

/** Every Lambda function of Snapstack. */
export const functions = {
  listUsers: {
    package: 'users',
    entry: 'src/handlers/list-users.ts',
    description: 'One page of users',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { dynamodb: { users: ['Scan'] } },
  },
  getUser: {
    package: 'users',
    entry: 'src/handlers/get-user.ts',
    description: 'One user',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { dynamodb: { users: ['GetItem'] } },
  },
  createUser: {
    package: 'users',
    entry: 'src/handlers/create-user.ts',
    description: 'Creates a user',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { dynamodb: { users: ['PutItem'] } },
  },
  patchUser: {
    package: 'users',
    entry: 'src/handlers/patch-user.ts',
    description: 'Updates a user',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { dynamodb: { users: ['UpdateItem'] } },
  },
  deleteUser: {
    package: 'users',
    entry: 'src/handlers/delete-user.ts',
    description: 'Deletes a user',
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
    description: 'Stores an original (<= 4.5 MB) and its pending metadata',
    memoryMb: 512,
    timeoutSeconds: 15,
    access: storesPendingOriginal,
  },
  createUpload: {
    package: 'metadata-api',
    entry: 'src/handlers/create-upload.ts',
    description: 'Pending metadata and a presigned POST for a large original',
    memoryMb: 256,
    timeoutSeconds: 10,
    // The presigned POST is signed with this role, so it needs the PutObject it hands out.
    access: storesPendingOriginal,
  },
  getMetadata: {
    package: 'metadata-api',
    entry: 'src/handlers/get-metadata.ts',
    description: "An image's metadata",
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { dynamodb: { images: ['GetItem'] } },
  },
  listImages: {
    package: 'metadata-api',
    entry: 'src/handlers/list-images.ts',
    description: "One page of the caller's images, newest first",
    memoryMb: 256,
    timeoutSeconds: 10,
    // Only the owner index: the table itself is never queried or scanned.
    access: { dynamodbIndexes: { images: { 'by-owner': ['Query'] } } },
  },
  deleteImage: {
    package: 'metadata-api',
    entry: 'src/handlers/delete-image.ts',
    description: "Deletes one of the caller's images: its original, every thumbnail and its item",
    memoryMb: 256,
    timeoutSeconds: 15,
    access: {
      dynamodb: { images: ['GetItem', 'DeleteItem'] },
      s3: {
        images: [
          { actions: ['s3:DeleteObject'], prefix: imagePrefixes.uploads },
          // Listed, not read from the item: thumbnails a racing run wrote are not recorded yet.
          { actions: ['s3:ListBucket', 's3:DeleteObject'], prefix: imagePrefixes.thumbnails },
        ],
      },
    },
  },
  getOriginal: {
    package: 'metadata-api',
    entry: 'src/handlers/get-original.ts',
    description: "A short-lived presigned GET of one of the caller's originals",
    memoryMb: 256,
    timeoutSeconds: 10,
    // The presigned GET is signed with this role, so it needs the GetObject it hands out
    // (HeadObject, which checks the original exists first, is authorized by it too).
    access: {
      dynamodb: { images: ['GetItem'] },
      s3: { images: [{ actions: ['s3:GetObject'], prefix: imagePrefixes.uploads }] },
    },
  },
  processImage: {
    package: 'metadata-api',
    entry: 'src/handlers/process-image.ts',
    description: "Regenerates an image's thumbnails synchronously",
    memoryMb: 1024,
    timeoutSeconds: 29,
    nativeDependencies: ['sharp'],
    access: makesThumbnails,
  },
  thumbnailer: {
    package: 'thumbnailer',
    entry: 'src/handlers/s3-event.ts',
    description: 'Thumbnails and metadata for each new original',
    memoryMb: 512,
    timeoutSeconds: 60,
    nativeDependencies: ['sharp'],
    access: makesThumbnails,
    events: [
      {
        kind: 's3',
        bucket: 'images',
        id: 'thumbnail-uploads',
        events: ['s3:ObjectCreated:*'],
        // Only originals: thumbnails are written outside this prefix, so they cannot re-trigger.
        filterPrefix: imagePrefixes.uploads,
      },
    ],
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
      dynamodb: { images: ['UpdateItem'] },
      dynamodbIndexes: { images: { 'pending-by-age': ['Query'] } },
      s3: { images: [{ actions: ['s3:ListBucket'], prefix: imagePrefixes.uploads }] },
      lambda: { thumbnailer: ['InvokeFunction'] },
    },
    schedule: { everyMinutes: 15 },
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionId = keyof typeof functions;

/** An S3 notification with the catalog function it invokes. */
export type BucketNotification = S3Notification & { readonly function: FunctionId };

/** A bucket's notifications, from the triggers of the functions it notifies. */
export function bucketNotifications(bucket: BucketId): BucketNotification[] {
  return (Object.entries(functions) as [FunctionId, FunctionDefinition][]).flatMap(([id, fn]) =>
    (fn.events ?? []).flatMap((event) =>
      event.kind === 's3' && event.bucket === bucket ? [{ ...event, function: id }] : [],
    ),
  );
}

/** The SQS event sources of a function. */
export function sqsEventSources(fn: FunctionDefinition): SqsEventSource[] {
  return (fn.events ?? []).filter((event): event is SqsEventSource => event.kind === 'sqs');
}

/** The catalog functions `id` may invoke; throws when its `access.lambda` names an unknown one. */
export function functionsInvokedBy(id: FunctionId): FunctionId[] {
  const definition: FunctionDefinition = functions[id];
  return Object.keys(definition.access.lambda ?? {}).map((callee) => {
    if (!(callee in functions)) throw new Error(`${id}: access.lambda names unknown function "${callee}"`);
    return callee as FunctionId;
  });
}
