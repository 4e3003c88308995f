/**
 * The base of every Snapstack stack: the AWS provider (region, default tags, optional endpoint
 * overrides) and the stage's state backend (S3 with native lockfile locking, or local files).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { APP_NAME, resourceName } from '@snapstack/domain/naming';
import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { StageConfig, SynthOptions } from '../config.js';

export const INFRA_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** Services whose endpoints an AWS-compatible dry-run target must serve. */
const ENDPOINT_SERVICES = [
  'apigateway',
  'cloudwatchlogs',
  'dynamodb',
  'iam',
  'lambda',
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

  /** `part` names the stack: `snapstack-<stage>-<part>`. */
  constructor(scope: Construct, part: string, { config, options }: SnapstackStackProps) {
    const stackName = resourceName(config.stage, part);
    super(scope, stackName);
    this.config = config;
    this.stackName = stackName;
    const endpoint = options.endpoint?.url;
    new AwsProvider(this, 'aws', {
      region: config.region,
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
    });
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
}
