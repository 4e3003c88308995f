import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
import { tables } from '@snapstack/domain/tables';
import { Testing } from 'cdktf';
import { SecureTable } from './secure-table.js';

describe('SecureTable', () => {
  it('declares the domain table on demand, encrypted, with PITR', () => {
    const synthesized = Testing.synthScope(
      (scope) =>
        new SecureTable(scope, 'users', {
          tableName: 'snapstack-test-users',
          definition: tables.users,
          deletionProtection: true,
        }),
    );
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
      name: 'snapstack-test-users',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: tables.users.partitionKey.name,
      attribute: [{ name: tables.users.partitionKey.name, type: tables.users.partitionKey.type }],
      server_side_encryption: { enabled: true },
      point_in_time_recovery: { enabled: true },
      deletion_protection_enabled: true,
    });
  });

  it('declares each key attribute once, including GSI keys, and exposes index names for grants', () => {
    let table: SecureTable | undefined;
    const synthesized = Testing.synthScope((scope) => {
      table = new SecureTable(scope, 'images', {
        tableName: 'snapstack-test-images',
        deletionProtection: false,
        definition: {
          id: 'images',
          envVar: 'IMAGES_TABLE',
          partitionKey: { name: 'imageId', type: 'S' },
          globalSecondaryIndexes: [
            {
              name: 'byOwner',
              partitionKey: { name: 'ownerId', type: 'S' },
              sortKey: { name: 'imageId', type: 'S' },
            },
          ],
        },
      });
    });
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
      attribute: [
        { name: 'imageId', type: 'S' },
        { name: 'ownerId', type: 'S' },
      ],
      global_secondary_index: [
        { name: 'byOwner', hash_key: 'ownerId', range_key: 'imageId', projection_type: 'ALL' },
      ],
    });
    expect(table!.indexNames).toEqual(['byOwner']);
  });

  it('rejects one attribute declared with two types', () => {
    expect(() =>
      Testing.synthScope(
        (scope) =>
          new SecureTable(scope, 't', {
            tableName: 't',
            deletionProtection: false,
            definition: {
              id: 't',
              envVar: 'T',
              partitionKey: { name: 'id', type: 'S' },
              globalSecondaryIndexes: [{ name: 'g', partitionKey: { name: 'id', type: 'N' } }],
            },
          }),
      ),
    ).toThrow(/declared as S and N/);
  });
});
