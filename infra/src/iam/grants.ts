/**
 * Grants: the domain's `FunctionAccess` (what a function touches) turned into IAM statements
 * with exact actions and ARNs. A new kind of access in the domain without a case here fails
 * synth, so no function ever gets a permission nobody wrote down.
 *
 * @example
 * accessStatements({ dynamodb: { users: ['GetItem'] } }, { tables: { users: { arn, indexNames: [] } } })
 * // [{ actions: ['dynamodb:GetItem'], resources: [arn] }]
 */
import type {
  DynamoDbAction,
  DynamoDbIndexAction,
  FunctionAccess,
  LambdaAction,
  S3Grant,
} from '@snapstack/domain/functions';
import type { PolicyStatement } from './policy.js';

export interface TableTarget {
  readonly arn: string;
  readonly indexNames: readonly string[];
}

export interface GrantTargets {
  readonly tables: Readonly<Record<string, TableTarget>>;
  /** Bucket ARNs by domain bucket id. */
  readonly buckets?: Readonly<Record<string, string>>;
  /** Queue ARNs by domain queue id. */
  readonly queues?: Readonly<Record<string, string>>;
  /** SSM parameter ARNs by domain parameter id. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Lambda function ARNs by catalog function id. */
  readonly functions?: Readonly<Record<string, string>>;
}

function targetOf(kind: string, targets: Readonly<Record<string, string>> | undefined, id: string): string {
  const arn = targets?.[id];
  if (!arn) throw new Error(`no ${kind} "${id}" to grant on`);
  return arn;
}

/** Actions on the table itself: its ARN only (an index is granted by name, `dynamoDbIndexStatement`). */
export function dynamoDbStatement(table: TableTarget, actions: readonly DynamoDbAction[]): PolicyStatement {
  return { actions: [...new Set(actions)].sort().map((a) => `dynamodb:${a}`), resources: [table.arn] };
}

/** Reads of one index: `table/<name>/index/<index>`, which is what DynamoDB authorizes a Query on. */
export function dynamoDbIndexStatement(
  table: TableTarget,
  index: string,
  actions: readonly DynamoDbIndexAction[],
): PolicyStatement {
  if (!table.indexNames.includes(index)) throw new Error(`no index "${index}" on ${table.arn} to grant on`);
  return {
    actions: [...new Set(actions)].sort().map((a) => `dynamodb:${a}`),
    resources: [`${table.arn}/index/${index}`],
  };
}

/** S3 object actions, scoped to a key prefix when given (e.g. `uploads/`). */
export type S3ObjectAction =
  | 'GetObject'
  | 'PutObject'
  | 'DeleteObject'
  | 'GetObjectTagging'
  | 'PutObjectTagging';

export function s3ObjectStatement(
  bucketArn: string,
  actions: readonly S3ObjectAction[],
  prefix = '',
): PolicyStatement {
  return {
    actions: [...new Set(actions)].sort().map((a) => `s3:${a}`),
    resources: [`${bucketArn}/${prefix}*`],
  };
}

/** `s3:ListBucket` is a bucket action; a prefix narrows it with the `s3:prefix` condition. */
export function s3ListStatement(bucketArn: string, prefix?: string): PolicyStatement {
  return {
    actions: ['s3:ListBucket'],
    resources: [bucketArn],
    ...(prefix ? { conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } } } : {}),
  };
}

export type SqsAction =
  | 'SendMessage'
  | 'ReceiveMessage'
  | 'DeleteMessage'
  | 'ChangeMessageVisibility'
  | 'GetQueueAttributes';

export function sqsStatement(queueArn: string, actions: readonly SqsAction[]): PolicyStatement {
  return { actions: [...new Set(actions)].sort().map((a) => `sqs:${a}`), resources: [queueArn] };
}

/** The three actions Lambda's SQS poller needs on the function's role. */
export const SQS_CONSUMER_ACTIONS: readonly SqsAction[] = [
  'ReceiveMessage',
  'DeleteMessage',
  'GetQueueAttributes',
];

export type SsmAction = 'GetParameter' | 'GetParameters';

/**
 * SSM parameters by ARN. SecureStrings under the AWS managed `aws/ssm` key need no kms:Decrypt
 * grant; a customer managed key would need one on that key's ARN.
 */
export function ssmParameterStatement(parameterArn: string, actions: readonly SsmAction[]): PolicyStatement {
  return { actions: [...new Set(actions)].sort().map((a) => `ssm:${a}`), resources: [parameterArn] };
}

/** Invoking one function: exactly its ARN (unqualified: `$LATEST`, as the callers invoke it). */
export function lambdaStatement(functionArn: string, actions: readonly LambdaAction[]): PolicyStatement {
  return { actions: [...new Set(actions)].sort().map((a) => `lambda:${a}`), resources: [functionArn] };
}

/** Every statement a function's `access` implies. Throws on an access kind infra cannot grant yet. */
export function accessStatements(access: FunctionAccess, targets: GrantTargets): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  for (const [kind, value] of Object.entries(access) as [string, unknown][]) {
    switch (kind) {
      case 'dynamodb': {
        for (const [tableId, actions] of Object.entries(value as Record<string, readonly DynamoDbAction[]>)) {
          const table = targets.tables[tableId];
          if (!table) throw new Error(`no table "${tableId}" to grant ${actions.join(', ')} on`);
          if (actions.length > 0) statements.push(dynamoDbStatement(table, actions));
        }
        break;
      }
      case 'dynamodbIndexes': {
        for (const [tableId, indexes] of Object.entries(
          value as Record<string, Record<string, readonly DynamoDbIndexAction[]>>,
        )) {
          const table = targets.tables[tableId];
          if (!table) throw new Error(`no table "${tableId}" to grant its indexes on`);
          for (const [index, actions] of Object.entries(indexes)) {
            if (actions.length > 0) statements.push(dynamoDbIndexStatement(table, index, actions));
          }
        }
        break;
      }
      case 's3': {
        for (const [bucketId, grants] of Object.entries(value as Record<string, readonly S3Grant[]>)) {
          const bucketArn = targetOf('bucket', targets.buckets, bucketId);
          for (const grant of grants) {
            // ListBucket is a bucket action, narrowed to the grant's prefix by condition.
            if (grant.actions.includes('s3:ListBucket'))
              statements.push(s3ListStatement(bucketArn, grant.prefix));
            const objectActions = grant.actions.filter((a) => a !== 's3:ListBucket');
            if (objectActions.length === 0) continue;
            const actions = objectActions.map((a) => a.replace(/^s3:/, '') as S3ObjectAction);
            statements.push(s3ObjectStatement(bucketArn, actions, grant.prefix));
          }
        }
        break;
      }
      case 'sqs': {
        for (const [queueId, actions] of Object.entries(value as Record<string, readonly SqsAction[]>)) {
          const queueArn = targetOf('queue', targets.queues, queueId);
          if (actions.length > 0) statements.push(sqsStatement(queueArn, actions));
        }
        break;
      }
      case 'ssm': {
        // SecureStrings under the AWS managed `aws/ssm` key: its key policy already lets principals
        // of the account decrypt through SSM, so no kms:Decrypt grant (a customer managed key would need one).
        for (const [parameterId, actions] of Object.entries(value as Record<string, readonly SsmAction[]>)) {
          const parameterArn = targetOf('parameter', targets.parameters, parameterId);
          if (actions.length > 0) statements.push(ssmParameterStatement(parameterArn, actions));
        }
        break;
      }
      case 'lambda': {
        for (const [functionId, actions] of Object.entries(
          value as Record<string, readonly LambdaAction[]>,
        )) {
          const functionArn = targetOf('function', targets.functions, functionId);
          if (actions.length > 0) statements.push(lambdaStatement(functionArn, actions));
        }
        break;
      }
      default:
        throw new Error(`FunctionAccess.${kind} has no IAM grant in infra/src/iam/grants.ts`);
    }
  }
  return statements;
}
