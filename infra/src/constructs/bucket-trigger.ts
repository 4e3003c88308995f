/**
 * BucketTrigger: invokes a function for objects created under a prefix of a bucket — the
 * S3 bucket notification plus the Lambda permission scoped to that bucket.
 *
 * S3 allows one notification configuration per bucket: every function trigger of a bucket
 * belongs in one BucketTrigger.
 *
 * @example
 * new BucketTrigger(this, 'uploads', { bucketName, bucketArn, targets: [{ fn: thumbnailer, prefix: 'uploads/' }] });
 */
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission/index.js';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification/index.js';
import { Construct } from 'constructs';
import type { NodeFunction } from './node-function.js';

export interface BucketTriggerTarget {
  readonly fn: NodeFunction;
  readonly prefix: string;
  readonly suffix?: string;
  /** Default `s3:ObjectCreated:*` (an S3 event name, not an IAM action). */
  readonly events?: readonly string[];
}

export interface BucketTriggerProps {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly targets: readonly BucketTriggerTarget[];
}

export class BucketTrigger extends Construct {
  public readonly notification: S3BucketNotification;

  constructor(scope: Construct, id: string, props: BucketTriggerProps) {
    super(scope, id);
    const permissions = props.targets.map(
      (target, i) =>
        new LambdaPermission(this, `permission-${i}`, {
          statementId: 'AllowS3Invoke',
          action: 'lambda:InvokeFunction',
          functionName: target.fn.functionName,
          principal: 's3.amazonaws.com',
          sourceArn: props.bucketArn,
        }),
    );
    this.notification = new S3BucketNotification(this, 'notification', {
      bucket: props.bucketName,
      lambdaFunction: props.targets.map((target) => ({
        lambdaFunctionArn: target.fn.arn,
        events: [...(target.events ?? ['s3:ObjectCreated:*'])],
        filterPrefix: target.prefix,
        ...(target.suffix ? { filterSuffix: target.suffix } : {}),
      })),
      // S3 test-invokes each target when the configuration is saved.
      dependsOn: permissions,
    });
  }
}
