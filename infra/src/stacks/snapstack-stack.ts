/**
 * The base of every Snapstack stack: the AWS provider (region, default tags, optional endpoint
 * overrides) and the stage's state backend (S3 with native lockfile locking, or local files).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AwsProvider, type AwsProviderConfig } from '@cdktf/provider-aws/lib/provider/index.js';
import { APP_NAME, resourceName } from '@snapstack/domain/naming';
import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { StageConfig, SynthOptions } from '../config.js';

export const INFRA_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** Services whose endpoints an AWS-compatible dry-run target must serve. */
const ENDPOINT_SERVICES = [
  'acm',
  'apigateway',
  'cloudfront',
  'cloudwatchlogs',
  'cognitoidp',
  'dynamodb',
  'iam',
  'lambda',
  'route53',
  's3',
  'sqs',
  'ssm',
  'sts',
] as const;

export interface SnapstackStackProps {
  readonly config: StageConfig;
  readonly options: SynthOptions;
}

export class SnapstackStack extends TerraformStack {
  public readonly config: StageConfig;
  public readonly stackName: string;
  private readonly options: SynthOptions;
  private readonly part: string;
  private readonly regionalProviders = new Map<string, AwsProvider>();

  /** `part` names the stack: `snapstack-<stage>-<part>`. */
  constructor(scope: Construct, part: string, { config, options }: SnapstackStackProps) {
    const stackName = resourceName(config.stage, part);
    super(scope, stackName);
    this.config = config;
    this.stackName = stackName;
    this.options = options;
    this.part = part;
    new AwsProvider(this, 'aws', this.providerSettings(config.region));
    if (options.backend === 'local') {
      const dir = options.localStateDir ?? path.join(INFRA_DIR, '.state', config.stage);
      new LocalBackend(this, { path: path.join(dir, `${stackName}.tfstate`) });
    } else {
      new S3Backend(this, {
        bucket: config.state.bucket,
        key: `${config.state.keyPrefix}/${stackName}.tfstate`,
        region: config.state.region,
        encrypt: true,
      });
      // S3-native state locking (Terraform >= 1.10): a lock object beside the state, no DynamoDB table.
      this.addOverride('terraform.backend.s3.use_lockfile', true);
    }
  }

  /**
   * An AWS provider for another region (CloudFront's certificates live in us-east-1), with the
   * same tags and dry-run settings as the stack's own; one per region.
   */
  providerFor(region: string): AwsProvider {
    const existing = this.regionalProviders.get(region);
    if (existing) return existing;
    const provider = new AwsProvider(this, `aws-${region}`, {
      ...this.providerSettings(region),
      alias: region,
    });
    this.regionalProviders.set(region, provider);
    return provider;
  }

  private providerSettings(region: string): AwsProviderConfig {
    const { config, options, part } = this;
    const endpoint = options.endpoint?.url;
    return {
      region,
      defaultTags: [{ tags: { app: APP_NAME, stage: config.stage, stack: part, 'managed-by': 'cdktf' } }],
      ...(options.skipAwsChecks
        ? { skipCredentialsValidation: true, skipRequestingAccountId: true, skipMetadataApiCheck: 'true' }
        : {}),
      ...(endpoint
        ? {
            s3UsePathStyle: true,
            endpoints: [Object.fromEntries(ENDPOINT_SERVICES.map((service) => [service, endpoint]))],
          }
        : {}),
    };
  }
}
