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

  it('prefers the service endpoint over the global one', () => {
    const env = { AWS_ENDPOINT_URL: 'http://global', AWS_ENDPOINT_URL_S3: 'http://s3' };
    expect(awsClientConfig('s3', env).endpoint).toBe('http://s3');
    expect(awsClientConfig('sqs', env).endpoint).toBe('http://global');
  });
});
