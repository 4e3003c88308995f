import { type App, Testing } from 'cdktf';
import { stageConfig } from '../config.js';
import { SnapstackStack } from './snapstack-stack.js';

const synth = (options: ConstructorParameters<typeof SnapstackStack>[2]['options']) =>
  JSON.parse(
    Testing.synth(
      new SnapstackStack(Testing.app() as App, 'stateful', { config: stageConfig('prod'), options }),
    ),
  );

describe('SnapstackStack', () => {
  it('keeps state in the stage bucket, one key per stack, with S3 lock files', () => {
    const json = synth({ backend: 's3', artifactsDir: '/x' });
    expect(json.terraform.backend.s3).toEqual({
      bucket: 'snapstack-prod-tfstate',
      key: 'snapstack/prod/snapstack-prod-stateful.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      use_lockfile: true,
    });
    expect(json.provider.aws[0].region).toBe('eu-west-1');
    expect(json.provider.aws[0].default_tags[0].tags).toMatchObject({ stage: 'prod', stack: 'stateful' });
    expect(json.provider.aws[0].skip_credentials_validation).toBeUndefined();
  });

  it('keeps state in local files when asked', () => {
    const json = synth({ backend: 'local', localStateDir: '/tmp/state', artifactsDir: '/x' });
    expect(json.terraform.backend.local.path).toBe('/tmp/state/snapstack-prod-stateful.tfstate');
  });

  it('points every service at an AWS-compatible endpoint for a dry run', () => {
    const json = synth({
      backend: 'local',
      artifactsDir: '/x',
      skipAwsChecks: true,
      endpoint: { url: 'http://localhost:4566' },
    });
    const provider = json.provider.aws[0];
    expect(provider.endpoints[0]).toMatchObject({
      dynamodb: 'http://localhost:4566',
      lambda: 'http://localhost:4566',
      sts: 'http://localhost:4566',
    });
    expect(provider).toMatchObject({
      s3_use_path_style: true,
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
    });
  });
});
