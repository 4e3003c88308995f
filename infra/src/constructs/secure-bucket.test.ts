import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import { Testing } from 'cdktf';
import { expectResource, onlyPolicy, resources } from '../../test/fixtures.js';
import { SecureBucket } from './secure-bucket.js';

describe('SecureBucket', () => {
  const synthesized = Testing.synthScope(
    (scope) =>
      new SecureBucket(scope, 'images', {
        bucketName: 'snapstack-test-images',
        expirations: [{ prefix: 'uploads/', days: 30 }],
      }),
  );

  it('blocks public access, encrypts and versions', () => {
    expect(synthesized).toHaveResourceWithProperties(S3Bucket, {
      bucket: 'snapstack-test-images',
      force_destroy: false,
    });
    expect(synthesized).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expectResource(synthesized, S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
    });
    expect(synthesized).toHaveResourceWithProperties(S3BucketVersioningA, {
      versioning_configuration: { status: 'Enabled' },
    });
  });

  it('denies every request not made over TLS', () => {
    const policy = onlyPolicy(synthesized, 'aws_s3_bucket_policy');
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    ]);
  });

  it('aborts incomplete multipart uploads and expires the given prefix', () => {
    const [lifecycle] = resources(synthesized, 'aws_s3_bucket_lifecycle_configuration');
    expect(lifecycle!.rule).toEqual([
      expect.objectContaining({
        status: 'Enabled',
        abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
      }),
      expect.objectContaining({
        status: 'Enabled',
        filter: [{ prefix: 'uploads/' }],
        expiration: [{ days: 30 }],
      }),
    ]);
  });

  it('keeps objects when no expiry is configured', () => {
    const plain = Testing.synthScope(
      (scope) => new SecureBucket(scope, 'b', { bucketName: 'snapstack-test-b' }),
    );
    const [lifecycle] = resources(plain, 'aws_s3_bucket_lifecycle_configuration');
    expect(lifecycle!.rule).toHaveLength(1);
    expect(lifecycle!.rule[0].expiration).toBeUndefined();
  });

  it('answers no cross-origin request unless given rules, and renders the ones it is given', () => {
    expect(resources(synthesized, 'aws_s3_bucket_cors_configuration')).toEqual([]);
    const withCors = Testing.synthScope((scope) =>
      new SecureBucket(scope, 'b', { bucketName: 'snapstack-test-b' }).allowCrossOrigin([
        {
          allowedOrigins: ['https://app.example'],
          allowedMethods: ['POST'],
          allowedHeaders: ['*'],
          maxAgeSeconds: 600,
        },
        { allowedOrigins: ['*'], allowedMethods: ['GET'], maxAgeSeconds: 60 },
      ]),
    );
    const [cors] = resources(withCors, 'aws_s3_bucket_cors_configuration');
    expect(cors!.cors_rule).toEqual([
      {
        allowed_origins: ['https://app.example'],
        allowed_methods: ['POST'],
        allowed_headers: ['*'],
        max_age_seconds: 600,
      },
      { allowed_origins: ['*'], allowed_methods: ['GET'], max_age_seconds: 60 },
    ]);
  });
});
