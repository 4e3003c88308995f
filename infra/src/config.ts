/**
 * Per-stage deployment configuration: the one place a stage's region, sizes, retention, cache
 * and state location live. What the local runner must mirror (the usage plan, CORS origins) and
 * everything else (names, routes, tables, IAM) is derived from the domain package.
 *
 * @example
 * const dev = stageConfig('dev');
 * dev.region // "eu-west-1"
 */

import { apiSettings, corsOrigins } from '@snapstack/domain/api-settings';
import type { FunctionId } from '@snapstack/domain/functions';

export const STAGES = ['dev', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

export interface StateBackendConfig {
  /** S3 bucket holding Terraform state for this stage (created by the bootstrap stack). */
  readonly bucket: string;
  readonly region: string;
  /** Key prefix; each stack's state is `<prefix>/<stack>.tfstate`. */
  readonly keyPrefix: string;
}

export interface CustomDomainConfig {
  readonly domainName: string;
  /** ACM certificate in the stage's region (REGIONAL endpoint). */
  readonly certificateArn: string;
}

/** A custom domain for the stage's CloudFront distribution (thumbnails and the web app). */
export interface DeliveryDomainConfig {
  /** e.g. `snapstack.example`: the distribution's alias, with an ACM certificate in us-east-1. */
  readonly domainName: string;
  /** The Route 53 public hosted zone of `domainName`: DNS validation records and the A/AAAA alias go there. */
  readonly hostedZoneId: string;
}

export interface DeliveryConfig {
  /** CloudFront price class: which edge locations serve the stage (PriceClass_100 = North America + Europe). */
  readonly priceClass: 'PriceClass_100' | 'PriceClass_200' | 'PriceClass_All';
  readonly customDomain?: DeliveryDomainConfig;
}

export interface SignInConfig {
  /**
   * The managed login domain is `<domainPrefix>.auth.<region>.amazoncognito.com`; prefixes are
   * unique per region across all accounts. Default: `snapstack-<stage>-<account id>`.
   */
  readonly domainPrefix?: string;
  /**
   * Where managed login may send a user back after sign-in / sign-out (Cognito accepts https, and
   * http only for localhost). Default: `<origin>/` for each of the stage's web origins (`webOrigins`).
   */
  readonly callbackUrls?: readonly string[];
  readonly logoutUrls?: readonly string[];
}

export interface GithubConfig {
  readonly owner: string;
  readonly repo: string;
  /** GitHub environment whose jobs may assume this stage's deploy role. */
  readonly environment: string;
}

export interface AccountConfig {
  /**
   * Account-wide singletons (the GitHub OIDC provider, API Gateway's CloudWatch Logs role) are
   * owned by one stage per account; the other stages of that account look the provider up.
   */
  readonly ownsAccountResources: boolean;
}

export interface FunctionOverride {
  readonly memoryMb?: number;
  /**
   * Reserved concurrency: a ceiling for the function and a floor taken from the account's pool.
   * AWS refuses it when the account's unreserved concurrency would drop under 10.
   */
  readonly reservedConcurrency?: number;
  /** Tuning variables the function's config.ts reads, when a stage changes their code default. */
  readonly environment?: Readonly<Record<string, string>>;
}

export interface StageConfig {
  readonly stage: Stage;
  readonly region: string;
  readonly state: StateBackendConfig;
  /** Defaults for every function; `functionOverrides` wins per function. */
  readonly logRetentionDays: number;
  readonly functionOverrides: Partial<Record<FunctionId, FunctionOverride>>;
  /** Memory multiplier applied to the catalog's memory sizes (1 = as the catalog says). */
  readonly memoryScale: number;
  /** TTL of the Lambda authorizer's cached decisions (0 disables caching). */
  readonly authorizerCacheTtlSeconds: number;
  /** Stage cache cluster size in GB, as API Gateway names it ("0.5", "1.6", ...). */
  readonly cacheClusterSize: string;
  /** The REST API's custom domain. */
  readonly customDomain?: CustomDomainConfig;
  /** The CloudFront distribution in front of thumbnails and the web app. */
  readonly delivery: DeliveryConfig;
  /** The Cognito user pool people sign in with (managed login, Authorization Code + PKCE). */
  readonly signIn: SignInConfig;
  /** Originals under `uploads/` expire after this many days; undefined keeps them. */
  readonly expireUploadsAfterDays?: number;
  readonly deletionProtection: boolean;
  /** Extra environment for every function (e.g. LOG_LEVEL). */
  readonly environment: Readonly<Record<string, string>>;
  readonly github: GithubConfig;
  readonly account: AccountConfig;
}

const github = { owner: 'snapstack', repo: 'snapstack' } as const;

const base = {
  region: 'eu-west-1',
  memoryScale: 1,
  functionOverrides: {},
  authorizerCacheTtlSeconds: apiSettings.authorizer.resultTtlSeconds,
  cacheClusterSize: '0.5',
  // Viewers are expected in Europe and North America; a wider class only adds cost.
  delivery: { priceClass: 'PriceClass_100' },
  signIn: {},
} as const;

export const stages: Readonly<Record<Stage, StageConfig>> = {
  dev: {
    ...base,
    stage: 'dev',
    state: { bucket: 'snapstack-dev-tfstate', region: base.region, keyPrefix: 'snapstack/dev' },
    logRetentionDays: 7,
    expireUploadsAfterDays: 30,
    deletionProtection: false,
    environment: { LOG_LEVEL: 'DEBUG' },
    github: { ...github, environment: 'dev' },
    account: { ownsAccountResources: true },
  },
  staging: {
    ...base,
    stage: 'staging',
    state: { bucket: 'snapstack-staging-tfstate', region: base.region, keyPrefix: 'snapstack/staging' },
    logRetentionDays: 14,
    expireUploadsAfterDays: 90,
    deletionProtection: false,
    environment: { LOG_LEVEL: 'INFO' },
    github: { ...github, environment: 'staging' },
    // Same account as dev in the default layout: dev owns the account-wide resources.
    account: { ownsAccountResources: false },
  },
  prod: {
    ...base,
    stage: 'prod',
    state: { bucket: 'snapstack-prod-tfstate', region: base.region, keyPrefix: 'snapstack/prod' },
    logRetentionDays: 90,
    memoryScale: 2,
    // A ceiling on concurrent sharp work (memory-heavy, S3 and DynamoDB bound); bursts of uploads
    // queue up in Lambda's async queue instead, within the thumbnailer's maximum event age.
    functionOverrides: { thumbnailer: { reservedConcurrency: 20 } },
    deletionProtection: true,
    environment: { LOG_LEVEL: 'INFO' },
    github: { ...github, environment: 'prod' },
    account: { ownsAccountResources: true },
  },
};

/**
 * The stage's web origins a sign-in may return to: its CORS origins (`apiSettings.cors`) that
 * Cognito accepts in a callback URL — https, or http on localhost (`*` and `http://127.0.0.1` are refused).
 */
export function webOrigins(stage: string): string[] {
  return corsOrigins(stage).filter((o) => o.startsWith('https://') || /^http:\/\/localhost(:\d+)?$/.test(o));
}

/**
 * The AWS Parameters and Secrets Lambda Extension's public layer for arm64, per region: a layer
 * version AWS publishes from its own account in each region.
 * Functions that read a parameter get it (service-stack.ts); a stage in a region missing here
 * fails the synth instead of deploying without it.
 */
export const PARAMETERS_EXTENSION_LAYERS: Readonly<Record<string, string>> = {
  'eu-west-1':
    'arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:101',
};

export function parametersExtensionLayer(region: string): string {
  const arn = PARAMETERS_EXTENSION_LAYERS[region];
  if (!arn)
    throw new Error(
      `no Parameters and Secrets extension layer for ${region}: add it to PARAMETERS_EXTENSION_LAYERS`,
    );
  return arn;
}

/** How Terraform state is kept for a synth: the stage's S3 backend, or local files to try things out. */
export type BackendMode = 's3' | 'local';

/**
 * Point the AWS provider at an AWS-compatible endpoint (LocalStack style) for a dry run.
 * `SNAPSTACK_AWS_ENDPOINT=http://localhost:4566` sets every service this app uses.
 */
export interface ProviderEndpointOverride {
  readonly url: string;
}

export interface SynthOptions {
  readonly backend: BackendMode;
  /** Where the local backend keeps state files (absolute; default `infra/.state/<stage>`). */
  readonly localStateDir?: string;
  /**
   * Skip the provider's credential/account/metadata checks: for `terraform plan` with fake
   * credentials and for AWS-compatible endpoints. Set by `SNAPSTACK_SKIP_AWS_CHECKS=1`.
   */
  readonly skipAwsChecks?: boolean;
  readonly endpoint?: ProviderEndpointOverride;
  /** Directory holding the built artefacts (layer and function zips). */
  readonly artifactsDir: string;
}

export function stageConfig(stage: string): StageConfig {
  if (!(STAGES as readonly string[]).includes(stage)) {
    throw new Error(`unknown stage "${stage}" (expected one of ${STAGES.join(', ')})`);
  }
  return stages[stage as Stage];
}

/** Reads the synth options from the environment the cdktf/pnpm commands set. */
export function synthOptionsFromEnv(env: NodeJS.ProcessEnv, artifactsDir: string): SynthOptions {
  const backend = env.SNAPSTACK_BACKEND ?? 's3';
  if (backend !== 's3' && backend !== 'local')
    throw new Error(`SNAPSTACK_BACKEND must be s3 or local, got "${backend}"`);
  const url = env.SNAPSTACK_AWS_ENDPOINT;
  return {
    backend,
    artifactsDir,
    skipAwsChecks: env.SNAPSTACK_SKIP_AWS_CHECKS === '1' || Boolean(url),
    ...(env.SNAPSTACK_STATE_DIR ? { localStateDir: env.SNAPSTACK_STATE_DIR } : {}),
    ...(url ? { endpoint: { url } } : {}),
  };
}
