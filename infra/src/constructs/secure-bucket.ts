/**
 * SecureBucket: an S3 bucket that is private and encrypted by construction — public access
 * blocked, owner-enforced object ownership, SSE (S3 managed keys by default, KMS optional),
 * a bucket policy denying any request not made over TLS, versioning, and lifecycle rules that
 * abort incomplete multipart uploads and optionally expire objects under a prefix.
 *
 * @example
 * new SecureBucket(this, 'images', { bucketName: 'snapstack-dev-images', expirations: [{ prefix: 'uploads/', days: 30 }] });
 */
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import { Construct } from 'constructs';

export interface ExpirationRule {
  readonly prefix: string;
  readonly days: number;
}

export interface SecureBucketProps {
  readonly bucketName: string;
  /** Days after which incomplete multipart uploads are aborted (default 1). */
  readonly abortIncompleteMultipartDays?: number;
  readonly expirations?: readonly ExpirationRule[];
  /** Days after which non-current versions are deleted (default 30). */
  readonly noncurrentVersionDays?: number;
  /** SSE-KMS with this key instead of SSE-S3. */
  readonly kmsKeyArn?: string;
  /** Allow `terraform destroy` of a non-empty bucket (never in prod). */
  readonly forceDestroy?: boolean;
}

export class SecureBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly bucketName: string;
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
    });
    this.bucketName = this.bucket.bucket;
    this.arn = this.bucket.arn;

    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: props.kmsKeyArn
            ? { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }
            : { sseAlgorithm: 'AES256' },
          bucketKeyEnabled: props.kmsKeyArn !== undefined,
        },
      ],
    });
    new S3BucketVersioningA(this, 'versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketPolicy(this, 'tls-only', {
      bucket: this.bucket.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            // A Deny on every S3 action is the point: no request of any kind over plain HTTP.
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
      // S3 rejects a policy while the public-access block is being applied concurrently.
      dependsOn: [publicAccess],
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: [
        {
          id: 'abort-incomplete-multipart-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteMultipartDays ?? 1 }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 30 }],
        },
        ...(props.expirations ?? []).map((rule) => ({
          id: `expire-${rule.prefix.replace(/[^A-Za-z0-9-]/g, '') || 'all'}`,
          status: 'Enabled',
          filter: [{ prefix: rule.prefix }],
          expiration: [{ days: rule.days }],
        })),
      ],
    });
  }
}
