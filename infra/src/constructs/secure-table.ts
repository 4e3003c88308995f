/**
 * SecureTable: a DynamoDB table declared from the domain's `TableDefinition` — on-demand
 * billing, server-side encryption, point-in-time recovery, optional deletion protection.
 *
 * @example
 * new SecureTable(this, 'users', { tableName: 'snapstack-dev-users', definition: tables.users, deletionProtection: false });
 */
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
import type { KeyAttribute, TableDefinition } from '@snapstack/domain/tables';
import { Construct } from 'constructs';
import type { TableTarget } from '../iam/grants.js';

export interface SecureTableProps {
  readonly tableName: string;
  readonly definition: TableDefinition;
  readonly deletionProtection: boolean;
  /** SSE with this customer managed key instead of the AWS managed `aws/dynamodb` key. */
  readonly kmsKeyArn?: string;
}

export class SecureTable extends Construct {
  public readonly table: DynamodbTable;
  public readonly tableName: string;
  public readonly arn: string;
  public readonly indexNames: readonly string[];

  constructor(scope: Construct, id: string, props: SecureTableProps) {
    super(scope, id);
    const { definition } = props;
    const gsis = definition.globalSecondaryIndexes ?? [];
    const attributes = new Map<string, KeyAttribute>();
    for (const key of [
      definition.partitionKey,
      definition.sortKey,
      ...gsis.flatMap((g) => [g.partitionKey, g.sortKey]),
    ]) {
      if (!key) continue;
      const seen = attributes.get(key.name);
      if (seen && seen.type !== key.type)
        throw new Error(`attribute ${key.name} declared as ${seen.type} and ${key.type}`);
      attributes.set(key.name, key);
    }
    this.table = new DynamodbTable(this, 'table', {
      name: props.tableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: definition.partitionKey.name,
      ...(definition.sortKey ? { rangeKey: definition.sortKey.name } : {}),
      attribute: [...attributes.values()].map((a) => ({ name: a.name, type: a.type })),
      globalSecondaryIndex: gsis.map((g) => ({
        name: g.name,
        hashKey: g.partitionKey.name,
        ...(g.sortKey ? { rangeKey: g.sortKey.name } : {}),
        projectionType: 'ALL',
      })),
      serverSideEncryption: { enabled: true, ...(props.kmsKeyArn ? { kmsKeyArn: props.kmsKeyArn } : {}) },
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: props.deletionProtection,
    });
    this.tableName = this.table.name;
    this.arn = this.table.arn;
    this.indexNames = gsis.map((g) => g.name);
  }

  /** What grant helpers need to address this table and its indexes. */
  public get target(): TableTarget {
    return { arn: this.arn, indexNames: this.indexNames };
  }
}
