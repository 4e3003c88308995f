/**
 * NodeFunction: one Lambda function the way Snapstack runs all of them — an esbuild bundle
 * zipped as an asset, nodejs22.x on arm64, the layers it is given, X-Ray tracing, its own log group
 * with retention, and its own role whose policy holds only what was granted to it.
 *
 * @example
 * const fn = new NodeFunction(this, 'getUser', { functionName, zipFile, memoryMb: 256, ... });
 * fn.grant(dynamoDbStatement(table, ['GetItem']));
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config/index.js';
import { AssetType, Fn, Lazy, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { sqsStatement } from '../iam/grants.js';
import { type PolicyStatement, policyJson, serviceTrustPolicy, xrayStatement } from '../iam/policy.js';

export const LAMBDA_RUNTIME = 'nodejs22.x';
export const LAMBDA_ARCHITECTURE = 'arm64';

export interface AsyncInvokeProps {
  /** 0-2: how often Lambda retries an asynchronous event that failed. */
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeSeconds: number;
  /** SQS queue receiving events the function could not process. */
  readonly onFailureQueueArn: string;
}

export interface NodeFunctionProps {
  readonly functionName: string;
  readonly description: string;
  /** The function's zip (from `@snapstack/packager/artifacts`): `index.mjs` exporting `handler`, plus native deps. */
  readonly zipFile: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly layerArns: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  readonly reservedConcurrency?: number;
  readonly asyncInvoke?: AsyncInvokeProps;
  /** Grants known up front; more can be added with `grant()` before synth. */
  readonly statements?: readonly PolicyStatement[];
}

export class NodeFunction extends Construct {
  public readonly function: LambdaFunction;
  public readonly role: IamRole;
  public readonly policy: IamRolePolicy;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly functionName: string;
  public readonly arn: string;
  public readonly invokeArn: string;
  public readonly timeoutSeconds: number;
  private readonly statements: PolicyStatement[];

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    this.statements = [...(props.statements ?? [])];
    this.timeoutSeconds = props.timeoutSeconds;

    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
    });
    this.role = new IamRole(this, 'role', {
      name: props.functionName,
      description: `Execution role of ${props.functionName} only`,
      assumeRolePolicy: serviceTrustPolicy('lambda.amazonaws.com'),
    });
    // Lazy: grants added after construction (tables, queues, destinations) land in the same policy.
    this.policy = new IamRolePolicy(this, 'policy', {
      name: 'access',
      role: this.role.id,
      policy: Lazy.stringValue({
        produce: () =>
          policyJson([
            {
              sid: 'OwnLogGroup',
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [`${this.logGroup.arn}:log-stream:*`],
            },
            xrayStatement,
            ...this.statements,
          ]),
      }),
    });

    const asset = new TerraformAsset(this, 'code', { path: props.zipFile, type: AssetType.FILE });
    this.function = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: [LAMBDA_ARCHITECTURE],
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: Fn.filebase64sha256(asset.path),
      memorySize: props.memoryMb,
      timeout: props.timeoutSeconds,
      layers: [...props.layerArns],
      environment: { variables: { ...props.environment } },
      tracingConfig: { mode: 'Active' },
      loggingConfig: { logFormat: 'Text', logGroup: this.logGroup.name },
      ...(props.reservedConcurrency !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrency }
        : {}),
      dependsOn: [this.logGroup],
    });
    this.functionName = this.function.functionName;
    this.arn = this.function.arn;
    this.invokeArn = this.function.invokeArn;

    if (props.asyncInvoke) {
      const { maximumRetryAttempts, maximumEventAgeSeconds, onFailureQueueArn } = props.asyncInvoke;
      if (maximumRetryAttempts < 0 || maximumRetryAttempts > 2)
        throw new Error('maximumRetryAttempts must be 0-2');
      // Lambda sends failed events to the destination with the function's own role.
      this.grant(sqsStatement(onFailureQueueArn, ['SendMessage']));
      new LambdaFunctionEventInvokeConfig(this, 'async', {
        functionName: this.function.functionName,
        maximumRetryAttempts,
        maximumEventAgeInSeconds: maximumEventAgeSeconds,
        destinationConfig: { onFailure: { destination: onFailureQueueArn } },
      });
    }
  }

  /** Adds an exact statement to this function's own role (a statement already granted is not repeated). */
  public grant(...statements: PolicyStatement[]): void {
    for (const statement of statements) {
      const key = JSON.stringify(statement);
      if (!this.statements.some((s) => JSON.stringify(s) === key)) this.statements.push(statement);
    }
  }
}
