/**
 * The stateful stack: everything that holds data or is shared by every function — DynamoDB
 * tables (from the domain's `tables`), the S3 buckets (`buckets`), the SQS queues (`queues`), the
 * domain layer, and the web and sign-in tiers (web-tier.ts: the CloudFront distribution, the web
 * app's bucket, the Cognito user pool). Deployed rarely; services reference it.
 */
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { type BucketId, buckets, imagePrefixes } from '@snapstack/domain/buckets';
import { bucketNotifications, type FunctionDefinition, functions } from '@snapstack/domain/functions';
import { resourceName } from '@snapstack/domain/naming';
import { type QueueDefinition, type QueueId, queues } from '@snapstack/domain/queues';
import { type TableId, tables } from '@snapstack/domain/tables';
import type { Artifacts } from '@snapstack/packager/artifacts';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config.js';
import type { DeliveryDistribution } from '../constructs/delivery/distribution.js';
import { DomainLayer } from '../constructs/domain-layer.js';
import { QueueWithDlq } from '../constructs/queue-with-dlq.js';
import { SecureBucket } from '../constructs/secure-bucket.js';
import { SecureTable } from '../constructs/secure-table.js';
import type { SignIn } from '../constructs/sign-in/sign-in.js';
import { SnapstackStack, type SnapstackStackProps } from './snapstack-stack.js';
import { addDelivery, addSignIn, signInDomainPrefix } from './web-tier.js';

export interface StatefulStackProps extends SnapstackStackProps {
  readonly artifacts: Artifacts;
}

/** A deployed queue, as services and the API reference it. */
export interface DeployedQueue {
  readonly name: string;
  readonly arn: string;
  readonly url: string;
  readonly visibilityTimeoutSeconds: number;
}

/** The timeout of the function an event source mapping connects to `queue`, if any. */
export function consumerTimeoutSeconds(queue: QueueId): number | undefined {
  const consumers = Object.values(functions as Record<string, FunctionDefinition>).filter((fn) =>
    (fn.events ?? []).some((e) => e.kind === 'sqs' && e.queue === queue),
  );
  return consumers.length > 0 ? Math.max(...consumers.map((fn) => fn.timeoutSeconds)) : undefined;
}

export class StatefulStack extends SnapstackStack {
  public readonly tables: Readonly<Record<TableId, SecureTable>>;
  public readonly layer: DomainLayer;
  public readonly buckets: Readonly<Record<BucketId, SecureBucket>>;
  public readonly queues: Readonly<Record<QueueId, DeployedQueue>>;
  public readonly delivery: DeliveryDistribution;
  public readonly signIn: SignIn;

  constructor(scope: Construct, props: StatefulStackProps) {
    super(scope, 'stateful', props);
    const { config } = props;
    this.tables = this.addTables(config);
    this.layer = new DomainLayer(this, 'domain-layer', {
      layerName: resourceName(config.stage, 'domain'),
      zipFile: props.artifacts.layer.zipFile,
    });
    this.buckets = this.addBuckets(config);
    this.queues = this.addQueues(config);
    // The account (for the managed login prefix) is parsed from the layer's ARN: no lookup.
    const signInPrefix = signInDomainPrefix(this, this.layer.arn);
    this.delivery = addDelivery(this, this.buckets.images, signInPrefix);
    this.signIn = addSignIn(this, this.delivery, signInPrefix);
    for (const [id, queue] of Object.entries(this.queues)) {
      new TerraformOutput(this, `queue-${id}-url`, { value: queue.url });
    }
  }

  private addTables(config: StageConfig): Record<TableId, SecureTable> {
    const created = Object.fromEntries(
      Object.values(tables).map((definition) => [
        definition.id,
        new SecureTable(this, `table-${definition.id}`, {
          tableName: resourceName(config.stage, definition.id),
          definition,
          deletionProtection: config.deletionProtection,
        }),
      ]),
    ) as Record<TableId, SecureTable>;
    for (const [id, table] of Object.entries(created)) {
      new TerraformOutput(this, `table-${id}-name`, { value: table.tableName });
    }
    return created;
  }

  /** Originals under a watched prefix may expire; thumbnails (and everything else) stay. */
  private addBuckets(config: StageConfig): Record<BucketId, SecureBucket> {
    return Object.fromEntries(
      Object.values(buckets).map((definition) => {
        const watched = [
          ...new Set(bucketNotifications(definition.id as BucketId).flatMap((n) => n.filterPrefix ?? [])),
        ];
        const expireDays = config.expireUploadsAfterDays;
        const bucket = new SecureBucket(this, `bucket-${definition.id}`, {
          bucketName: resourceName(config.stage, definition.id),
          ...(expireDays !== undefined
            ? {
                expirations: (watched.length > 0 ? watched : [imagePrefixes.uploads]).map((prefix) => ({
                  prefix,
                  days: expireDays,
                })),
              }
            : {}),
        });
        new TerraformOutput(this, `bucket-${definition.id}-name`, { value: bucket.bucketName });
        return [definition.id, bucket];
      }),
    ) as Record<BucketId, SecureBucket>;
  }

  /** Each queue of the domain, with its dead-letter queue when it has one. */
  private addQueues(config: StageConfig): Record<QueueId, DeployedQueue> {
    const deployed: Partial<Record<QueueId, DeployedQueue>> = {};
    const all = queues as Record<QueueId, QueueDefinition>;
    const deadLetterIds = new Set(
      Object.values(all).flatMap((q) => (q.deadLetter ? [q.deadLetter.queue] : [])),
    );
    for (const [id, definition] of Object.entries(all) as [QueueId, QueueDefinition][]) {
      if (deadLetterIds.has(id)) continue; // created with the queue it serves
      const name = resourceName(config.stage, id);
      if (definition.deadLetter) {
        const dlqId = definition.deadLetter.queue as QueueId;
        const dlqDefinition = all[dlqId];
        const pair = new QueueWithDlq(this, `queue-${id}`, {
          queueName: name,
          deadLetterQueueName: resourceName(config.stage, dlqId),
          // A queue without a consumer still gets the ratio checked against its own visibility.
          consumerTimeoutSeconds: consumerTimeoutSeconds(id) ?? 0,
          visibilityTimeoutSeconds: definition.visibilityTimeoutSeconds,
          retentionSeconds: definition.messageRetentionSeconds,
          maxReceiveCount: definition.deadLetter.maxReceiveCount,
          deadLetterRetentionSeconds: dlqDefinition.messageRetentionSeconds,
        });
        deployed[id] = {
          name,
          arn: pair.arn,
          url: pair.url,
          visibilityTimeoutSeconds: pair.visibilityTimeoutSeconds,
        };
        deployed[dlqId] = {
          name: resourceName(config.stage, dlqId),
          arn: pair.deadLetterQueue.arn,
          url: pair.deadLetterQueue.url,
          visibilityTimeoutSeconds: dlqDefinition.visibilityTimeoutSeconds,
        };
      } else {
        // A queue with no dead-letter policy is itself a destination of last resort (the
        // thumbnailer's async on-failure queue): encrypted, read by operators, no redrive.
        if (consumerTimeoutSeconds(id) !== undefined)
          throw new Error(`queue ${id} has a consumer and no dead-letter queue in domain queues.ts`);
        const queue = new SqsQueue(this, `queue-${id}`, {
          name,
          sqsManagedSseEnabled: true,
          visibilityTimeoutSeconds: definition.visibilityTimeoutSeconds,
          messageRetentionSeconds: definition.messageRetentionSeconds,
        });
        deployed[id] = {
          name,
          arn: queue.arn,
          url: queue.url,
          visibilityTimeoutSeconds: definition.visibilityTimeoutSeconds,
        };
      }
    }
    return deployed as Record<QueueId, DeployedQueue>;
  }
}
