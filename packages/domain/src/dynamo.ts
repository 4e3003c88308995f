/**
 * The shared DynamoDB adapter: one document client per container, and helpers that read
 * DynamoDB's errors so use cases never see SDK types.
 *
 * @example
 * const doc = createDocumentClient();
 * await doc.send(new GetCommand({ TableName: requiredEnv('USERS_TABLE'), Key: { id } }));
 */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsClientConfig } from './aws.js';
import { ValidationError } from './errors.js';

export function createDocumentClient(client = new DynamoDBClient(awsClientConfig('dynamodb'))): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

/** Opaque pagination cursors: DynamoDB's LastEvaluatedKey, base64url-encoded JSON. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

export function decodeCursor(
  cursor: string | undefined,
  keyNames: readonly string[],
): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      key !== null &&
      typeof key === 'object' &&
      !Array.isArray(key) &&
      Object.keys(key).length === keyNames.length &&
      keyNames.every((name) => typeof (key as Record<string, unknown>)[name] === 'string')
    ) {
      return key as Record<string, unknown>;
    }
  } catch {
    // fall through to the error below: a cursor is either ours or invalid
  }
  throw new ValidationError('cursor is not a valid pagination cursor');
}
