/// <reference path="../types/dynalite.d.ts" />
/**
 * DynamoDB on dynalite, in this process: in memory, or LevelDB on disk so data survives a
 * restart. Tables are created from the domain's table definitions, the ones infra deploys.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '@snapstack/domain/tables';
import dynalite from 'dynalite';
import { listen, localClientConfig } from './support.js';

export interface DynamoDbEmulator {
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function startDynamoDb(options: { path?: string }): Promise<DynamoDbEmulator> {
  const server = dynalite({
    ...(options.path ? { path: options.path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  // dynalite rethrows a request stream's error (`req.on('error', (e) => { throw e })`): a client
  // that disconnects mid-body would raise an uncaught 'aborted' and stop the whole runner.
  // Dropping that request, as DynamoDB does with a connection that goes away, is enough.
  const [handle] = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle?.(req, res);
    req.removeAllListeners('error');
    req.on('error', () => res.destroy());
  });
  await listen(server);
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Creates each table unless it exists (it does, after a restart on disk). A table on disk that
 * lacks an index its definition declares (data from before the index was added) is rebuilt
 * with its items: dynalite cannot add an index to a table (UpdateTable's index creation).
 */
export async function ensureTables(
  endpoint: string,
  definitions: ReadonlyArray<{ name: string; definition: TableDefinition }>,
): Promise<void> {
  const client = new DynamoDBClient(localClientConfig(endpoint));
  try {
    for (const { name, definition } of definitions) {
      const keys = [
        definition.partitionKey,
        definition.sortKey,
        ...(definition.globalSecondaryIndexes ?? []).flatMap((g) => [g.partitionKey, g.sortKey]),
      ].filter((k) => k !== undefined);
      const attributes = new Map(keys.map((k) => [k.name, k.type]));
      const input: CreateTableCommandInput = {
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
          AttributeName,
          AttributeType,
        })),
        KeySchema: [
          { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
          ...(definition.sortKey
            ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' as const }]
            : []),
        ],
        ...(definition.globalSecondaryIndexes?.length
          ? {
              GlobalSecondaryIndexes: definition.globalSecondaryIndexes.map((g) => ({
                IndexName: g.name,
                KeySchema: [
                  { AttributeName: g.partitionKey.name, KeyType: 'HASH' as const },
                  ...(g.sortKey ? [{ AttributeName: g.sortKey.name, KeyType: 'RANGE' as const }] : []),
                ],
                Projection: { ProjectionType: 'ALL' as const },
              })),
            }
          : {}),
      };
      try {
        await client.send(new CreateTableCommand(input));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
        await rebuildWithoutMissingIndexes(client, input);
      }
    }
  } finally {
    client.destroy();
  }
}

async function rebuildWithoutMissingIndexes(client: DynamoDBClient, input: CreateTableCommandInput) {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: input.TableName }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
  if ((input.GlobalSecondaryIndexes ?? []).every((g) => present.has(g.IndexName))) return;
  const items = [];
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: input.TableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
  } while (ExclusiveStartKey);
  await client.send(new DeleteTableCommand({ TableName: input.TableName }));
  await client.send(new CreateTableCommand(input));
  for (let i = 0; i < items.length; i += 25) {
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [input.TableName!]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
  }
}
