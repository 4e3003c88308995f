import { describe, expect, it } from 'vitest';
import { awsClientConfig } from './aws.js';

describe('awsClientConfig', () => {
  it('overrides nothing in AWS', () => {
    expect(awsClientConfig('s3', { AWS_REGION: 'eu-west-1' })).toEqual({ region: 'eu-west-1' });
  });

  it('adds the emulator settings when a service endpoint is set', () => {
    expect(awsClientConfig('dynamodb', { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4567' })).toEqual({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4567',
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  });

  it('passes the static credentials of the environment with an endpoint override, and only then', () => {
    const keys = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };
    expect(awsClientConfig('sqs', { ...keys, AWS_ENDPOINT_URL_SQS: 'http://sqs' }).credentials).toEqual({
      accessKeyId: 'local',
      secretAccessKey: 'local',
    });
    expect(awsClientConfig('sqs', { ...keys, AWS_REGION: 'eu-west-1' })).toEqual({ region: 'eu-west-1' });
  });

  it('prefers the service endpoint over the global one', () => {
    const env = { AWS_ENDPOINT_URL: 'http://global', AWS_ENDPOINT_URL_S3: 'http://s3' };
    expect(awsClientConfig('s3', env).endpoint).toBe('http://s3');
    expect(awsClientConfig('sqs', env).endpoint).toBe('http://global');
  });
});
