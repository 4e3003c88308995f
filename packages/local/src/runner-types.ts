/**
 * What `createServer()` takes and gives: the runner's options and its handle, apart from the
 * wiring in server.ts so both read on one screen.
 */
import type { BucketId } from '@snapstack/domain/buckets';
import type { FunctionId } from '@snapstack/domain/functions';
import type { QueueId } from '@snapstack/domain/queues';
import type { TableId } from '@snapstack/domain/tables';
import type { DevCredentials } from './cli/credentials.js';
import type { DynamoDbFault } from './emulators/fault-proxy.js';
import type { Authenticate } from './gateway/gateway.js';
import type { HttpLimits } from './gateway/http-server.js';
import type { UsagePlanLimits } from './gateway/usage-plan.js';
import type { AsyncInvoker } from './lambda/async-invoke.js';
import type { FunctionEnvironment } from './lambda/environment.js';
import type { Invoke, LambdaHandler } from './lambda/invoke.js';
import type { QueueOptions } from './sqs/queues.js';

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
  /** The thumbnail delivery server's port (the local CDN); 0 (default) picks a free one. */
  readonly deliveryPort?: number;
  /**
   * The local OpenID provider's port; 0 (default) picks a free one. Its tokens name it in `iss`,
   * so `pnpm dev` fixes it (3001) for tokens to outlive a restart.
   */
  readonly oidcPort?: number;
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
  readonly endpoints: {
    readonly dynamodb: string;
    readonly sqs: string;
    readonly s3: string;
    /** Where thumbnails are served, as the stage's CDN serves them (`imageDeliveryUrl`). */
    readonly imageDelivery: string;
  };
  /** Physical resource names, as handlers see them in their environment. */
  readonly names: {
    readonly tables: Readonly<Record<TableId, string>>;
    readonly queues: Readonly<Record<QueueId, string>>;
    readonly buckets: Readonly<Record<BucketId, string>>;
  };
  readonly queueUrls: Readonly<Record<QueueId, string>>;
  /**
   * The local OpenID provider (oidc/provider.ts): the user pool the authorizer trusts, in JWKS
   * mode as in AWS, next to the shared secret of `credentials`.
   */
  readonly oidc: {
    readonly issuer: string;
    readonly jwksUrl: string;
    readonly clientId: string;
    readonly redirectUris: readonly string[];
  };
  /** Resolves when every event source queue is drained and no batch is running. */
  settled(): Promise<void>;
  /** Starts the event source pollers when `queues.autoStart` was false. */
  startPolling(): void;
  /** The loaded handler of a catalog function, to call it directly (benchmarks). */
  handler(id: FunctionId): Promise<LambdaHandler>;
  /** Runs a catalog function as every local caller does (lambda/invoke.ts): context, timeout, errors. */
  readonly invoke: Invoke;
  /** A function's own environment (the deployed derivation plus the local endpoints). */
  environment(id: FunctionId): FunctionEnvironment;
  /** The dev JWT secret and API key this runner accepts (see auth/credentials.ts). */
  readonly credentials: DevCredentials;
  /** How many times the authorizer function ran (authorizer cache hits do not count). */
  authorizerInvocations(): number;
  /** Lambda async invocations (S3 notifications): `idle()`, and events that failed every attempt. */
  readonly asyncInvoker: AsyncInvoker;
  close(): Promise<void>;
}
