import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission/index.js';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification/index.js';
import { Testing } from 'cdktf';
import { expectResource, fakeZip } from '../../test/fixtures.js';
import { BucketTrigger } from './bucket-trigger.js';
import { NodeFunction } from './node-function.js';
import { SecureBucket } from './secure-bucket.js';

describe('BucketTrigger', () => {
  it('invokes the function for objects created under the prefix, allowed from that bucket only', () => {
    const synthesized = Testing.synthScope((scope) => {
      const bucket = new SecureBucket(scope, 'images', { bucketName: 'snapstack-test-images' });
      const fn = new NodeFunction(scope, 'thumbnailer', {
        functionName: 'snapstack-test-thumbnailer',
        description: 'thumbnails',
        zipFile: fakeZip(),
        memoryMb: 1024,
        timeoutSeconds: 30,
        layerArns: [],
        environment: {},
        logRetentionDays: 7,
      });
      new BucketTrigger(scope, 'uploads', {
        bucketName: bucket.bucketName,
        bucketArn: bucket.arn,
        targets: [{ fn, prefix: 'uploads/' }],
      });
    });
    expectResource(synthesized, S3BucketNotification, {
      lambda_function: [{ events: ['s3:ObjectCreated:*'], filter_prefix: 'uploads/' }],
    });
    expectResource(synthesized, LambdaPermission, {
      action: 'lambda:InvokeFunction',
      principal: 's3.amazonaws.com',
      source_arn: expect.stringMatching(/^\$\{aws_s3_bucket\.images_bucket_.+\.arn\}$/),
    });
  });
});
