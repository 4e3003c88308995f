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
import type { KeyAttribute } from './tables.js';

export function createDocumentClient(
  client = new DynamoDBClient(awsClientConfig('dynamodb')),
): DynamoDBDocumentClient {
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

/**
 * DynamoDB's limits on a key attribute's value (UTF-8 bytes): a partition key holds at most
 * 2048, a sort key at most 1024, and neither may be empty. A key outside them is not a key
 * DynamoDB could have stored, so the adapters answer "not found" (or a bad cursor) before
 * the call instead of sending it and getting a ValidationException back.
 */
export const DYNAMODB_KEY_LIMITS = { partitionKeyBytes: 2048, sortKeyBytes: 1024 } as const;

/** The key schema of a table (or index): see `./tables`. Only string keys are used. */
export interface KeySchema {
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}

/** With the `u` flag a surrogate pair is one code point, so this matches only unpaired halves. */
const LONE_SURROGATE = /\p{Cs}/u;

/** True when `value` can be the value of a string key attribute of this kind. */
export function isStorableKeyValue(value: unknown, role: 'partition' | 'sort'): value is string {
  if (typeof value !== 'string' || value === '') return false;
  const limit =
    role === 'partition' ? DYNAMODB_KEY_LIMITS.partitionKeyBytes : DYNAMODB_KEY_LIMITS.sortKeyBytes;
  // A lone surrogate has no UTF-8 form: the SDK would send U+FFFD, a different key.
  return !LONE_SURROGATE.test(value) && Buffer.byteLength(value, 'utf8') <= limit;
}

/** True when `key` has exactly the table's key attributes, each a value DynamoDB can store. */
export function isStorableKey(schema: KeySchema, key: Readonly<Record<string, unknown>>): boolean {
  const attributes: Array<[KeyAttribute, 'partition' | 'sort']> = [[schema.partitionKey, 'partition']];
  if (schema.sortKey) attributes.push([schema.sortKey, 'sort']);
  for (const [attribute] of attributes) {
    if (attribute.type !== 'S') throw new Error(`key attribute ${attribute.name} is not a string key`);
  }
  return (
    Object.keys(key).length === attributes.length &&
    attributes.every(([attribute, role]) => isStorableKeyValue(key[attribute.name], role))
  );
}

/** Opaque pagination cursors: DynamoDB's LastEvaluatedKey, base64url-encoded JSON. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

/**
 * The ExclusiveStartKey a cursor stands for; a ValidationError (400) for anything that is not a
 * key of `schema` DynamoDB could have returned (garbage, another shape, an over-long value).
 */
export function decodeCursor(
  cursor: string | undefined,
  schema: KeySchema,
): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined; // not ours: rejected below
  }
  if (
    key !== null &&
    typeof key === 'object' &&
    !Array.isArray(key) &&
    isStorableKey(schema, key as Record<string, unknown>)
  ) {
    return key as Record<string, unknown>;
  }
  throw new ValidationError('cursor is not a valid pagination cursor');
}
