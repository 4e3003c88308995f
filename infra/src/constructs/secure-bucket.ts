/**
 * SecureBucket: an S3 bucket that is private and encrypted by construction — public access
 * blocked, owner-enforced object ownership, SSE (S3 managed keys by default, KMS optional),
 * a bucket policy denying any request not made over TLS, versioning, and lifecycle rules that
 * abort incomplete multipart uploads and optionally expire objects under a prefix. S3 keeps one
 * policy per bucket, so grants to other principals (`allowCloudFrontRead`) join that policy.
 *
 * @example
 * new SecureBucket(this, 'images', { bucketName: 'snapstack-dev-images', expirations: [{ prefix: 'uploads/', days: 30 }] });
 */
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketCorsConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-cors-configuration/index.js';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import type { BucketCorsRule } from '@snapstack/domain/delivery';
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';

/** A statement of the bucket policy, as IAM's JSON has it. */
export type BucketPolicyStatement = Readonly<Record<string, unknown>>;

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
  /** `<bucket>.s3.<region>.amazonaws.com`: the origin CloudFront signs requests for. */
  public readonly regionalDomainName: string;
  private readonly statements: BucketPolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
    });
    this.bucketName = this.bucket.bucket;
    this.arn = this.bucket.arn;
    this.regionalDomainName = this.bucket.bucketRegionalDomainName;

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
    this.statements.push({
      Sid: 'DenyInsecureTransport',
      // A Deny on every S3 action is the point: no request of any kind over plain HTTP.
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    // The id predates the other statements; renaming it would make Terraform replace the policy.
    new S3BucketPolicy(this, 'tls-only', {
      bucket: this.bucket.id,
      // Rendered at synth, so statements added after construction (a distribution made later) join it.
      policy: Lazy.stringValue({
        produce: () => JSON.stringify({ Version: '2012-10-17', Statement: this.statements }),
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

  /**
   * Lets one CloudFront distribution (through Origin Access Control) read the objects under
   * `prefix`, and nothing else: the service principal, narrowed by `AWS:SourceArn` to that
   * distribution, so another account's distribution pointed at this bucket is refused.
   */
  allowCloudFrontRead(distributionArn: string, prefix = ''): void {
    this.statements.push({
      Sid: `CloudFrontRead${prefix.replace(/[^A-Za-z0-9]/g, '')}`,
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: `${this.bucket.arn}/${prefix}*`,
      Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
    });
  }
  /**
   * Cross-origin requests browsers may make (a web app's presigned uploads); a bucket answers
   * none until given rules. S3 keeps one CORS configuration per bucket: call this once.
   */
  allowCrossOrigin(rules: readonly BucketCorsRule[]): S3BucketCorsConfiguration {
    return new S3BucketCorsConfiguration(this, 'cors', {
      bucket: this.bucket.id,
      corsRule: rules.map((rule) => ({
        allowedOrigins: [...rule.allowedOrigins],
        allowedMethods: [...rule.allowedMethods],
        ...(rule.allowedHeaders ? { allowedHeaders: [...rule.allowedHeaders] } : {}),
        maxAgeSeconds: rule.maxAgeSeconds,
      })),
    });
  }
}
