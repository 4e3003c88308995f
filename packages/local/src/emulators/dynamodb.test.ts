import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '@snapstack/domain/tables';
import { describe, expect, it } from 'vitest';
import { ensureTables, startDynamoDb } from './dynamodb.js';
import { localClientConfig } from './support.js';

const withoutIndex: TableDefinition = { id: 't', envVar: 'T', partitionKey: { name: 'id', type: 'S' } };
const withIndex: TableDefinition = {
  ...withoutIndex,
  globalSecondaryIndexes: [
    { name: 'by-state', partitionKey: { name: 'state', type: 'S' }, sortKey: { name: 'since', type: 'S' } },
  ],
};

describe('ensureTables', () => {
  it('adds an index a table on disk lacks, keeping its items', async () => {
    const dynamodb = await startDynamoDb({});
    const client = new DynamoDBClient(localClientConfig(dynamodb.endpoint));
    try {
      await ensureTables(dynamodb.endpoint, [{ name: 'things', definition: withoutIndex }]);
      await client.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'a' }, n: { N: '1' } } }));

      await ensureTables(dynamodb.endpoint, [{ name: 'things', definition: withIndex }]);

      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'things' }));
      expect(Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['by-state']);
      const { Item } = await client.send(
        new GetItemCommand({ TableName: 'things', Key: { id: { S: 'a' } } }),
      );
      expect(Item).toEqual({ id: { S: 'a' }, n: { N: '1' } });
    } finally {
      client.destroy();
      await dynamodb.close();
    }
  });
});
