/**
 * Each function's own environment object, as Lambda gives each function its own: the domain's
 * derivation (`functionEnvironment`, the one infra deploys) plus what only the local runner
 * adds — the emulators' endpoints, region and static credentials, the log level, and the dev
 * JWT secret for the function that would read it from SSM in AWS — over the variables the
 * runner was started with (the README's settings: `THUMBNAIL_SIZES=128,512 pnpm dev`). Nothing
 * is written to the runner's `process.env`: the function host compiles each function against
 * its own object.
 */
import { LOCAL_REGION } from '@snapstack/domain/aws';
import { CORS_ORIGINS_ENV } from '@snapstack/domain/cors';
import { functionEnvironment, type ResourceNames } from '@snapstack/domain/function-environment';
import { type FunctionId, functions } from '@snapstack/domain/functions';
import { parameters } from '@snapstack/domain/parameters';

export type FunctionEnvironment = Readonly<Record<string, string>>;

export interface LocalEnvironmentOptions {
  /** The runner's own environment, read once: tuning settings reach every function beneath the rest. */
  readonly inherited: Readonly<Record<string, string | undefined>>;
  readonly stage: string;
  readonly names: ResourceNames;
  readonly endpoints: {
    readonly dynamodb: string;
    readonly sqs: string;
    readonly s3: string;
    readonly lambda: string;
  };
  /** The dev secret the authorizer verifies tokens with (in AWS: the SSM parameter's value). */
  readonly jwtSecret: string;
  readonly logLevel: string;
  /** Replaces the stage's CORS origins for functions that answer API routes (tests). */
  readonly corsOrigins?: readonly string[];
}

export function localEnvironments(options: LocalEnvironmentOptions): Record<FunctionId, FunctionEnvironment> {
  const ids = Object.keys(functions) as FunctionId[];
  return Object.fromEntries(ids.map((id) => [id, localEnvironment(id, options)])) as Record<
    FunctionId,
    FunctionEnvironment
  >;
}

export function localEnvironment(id: FunctionId, options: LocalEnvironmentOptions): FunctionEnvironment {
  const deployed = functionEnvironment(id, options.stage, options.names);
  const { endpoints } = options;
  const inherited = Object.entries(options.inherited).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  return {
    ...Object.fromEntries(inherited),
    ...deployed,
    AWS_REGION: LOCAL_REGION,
    // Read by awsClientConfig (domain aws.ts) only when an endpoint override is present.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_LAMBDA: endpoints.lambda,
    LOG_LEVEL: options.logLevel,
    // In AWS the authorizer reads the secret from SSM (its parameter's name is in `deployed`); locally there is no SSM.
    ...(parameters.jwtSecret.envVar in deployed ? { AUTH_JWT_SECRET: options.jwtSecret } : {}),
    ...(options.corsOrigins && CORS_ORIGINS_ENV in deployed
      ? { [CORS_ORIGINS_ENV]: options.corsOrigins.join(',') }
      : {}),
  };
}
