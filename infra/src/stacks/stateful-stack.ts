/**
 * The stateful stack: everything that holds data or is shared by every function — DynamoDB
 * tables (from the domain's `tables`), the domain layer, and (once their branches land) the
 * images bucket and the SQS queues. Deployed rarely; services reference it.
 */
import { resourceName } from '@snapstack/domain/naming';
import { type TableId, tables } from '@snapstack/domain/tables';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { Artifacts } from '../../../tools/artifacts.js';
import { DomainLayer } from '../constructs/domain-layer.js';
import { SecureTable } from '../constructs/secure-table.js';
import { SnapstackStack, type SnapstackStackProps } from './snapstack-stack.js';

export interface StatefulStackProps extends SnapstackStackProps {
  readonly artifacts: Artifacts;
}

export class StatefulStack extends SnapstackStack {
  public readonly tables: Readonly<Record<TableId, SecureTable>>;
  public readonly layer: DomainLayer;

  constructor(scope: Construct, props: StatefulStackProps) {
    super(scope, 'stateful', props);
    const { config } = props;
    this.tables = Object.fromEntries(
      Object.values(tables).map((definition) => [
        definition.id,
        new SecureTable(this, `table-${definition.id}`, {
          tableName: resourceName(config.stage, definition.id),
          definition,
          deletionProtection: config.deletionProtection,
        }),
      ]),
    ) as Record<TableId, SecureTable>;
    for (const [id, table] of Object.entries(this.tables)) {
      new TerraformOutput(this, `table-${id}-name`, { value: table.tableName });
    }

    this.layer = new DomainLayer(this, 'domain-layer', {
      layerName: resourceName(config.stage, 'domain'),
      zipFile: props.artifacts.layer.zipFile,
    });

    // WIRING (images branch): for each bucket of domain buckets.ts, a SecureBucket named
    //   resourceName(stage, bucket.id) with expirations [{ prefix: <watched uploads/ prefix>,
    //   days: config.expireUploadsAfterDays }] when set; expose `this.buckets` and output
    //   `bucket-<id>-name`.
    // WIRING (likes + images branches): for each queue of domain queues.ts, a QueueWithDlq named
    //   resourceName(stage, queue.id) with consumerTimeoutSeconds = functions[<consumer>].timeoutSeconds
    //   (the thumbnailer's on-failure queue has no consumer: use its own retention); expose
    //   `this.queues` and output `queue-<id>-url` (and the DLQ URL).
  }
}
