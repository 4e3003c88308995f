/**
 * One stack per service package (`packages/<name>`): that package's functions from the catalog,
 * each a NodeFunction with its environment, and a role holding exactly the
 * grants its `access` lists. A team deploys its package with
 * `pnpm run deploy --stage dev --stack service-<name>` without touching the rest.
 */

import { type BucketDefinition, type BucketId, buckets } from '@snapstack/domain/buckets';
import { functionEnvironment, type ResourceNames } from '@snapstack/domain/function-environment';
import {
  bucketNotifications,
  type FunctionDefinition,
  type FunctionId,
  functions,
  functionsInvokedBy,
  sqsEventSources,
} from '@snapstack/domain/functions';
import { resourceName } from '@snapstack/domain/naming';
import {
  type ParameterId,
  parameterName,
  parameters,
  parametersExtension,
} from '@snapstack/domain/parameters';
import type { QueueId } from '@snapstack/domain/queues';
import { functionSummary } from '@snapstack/domain/routes';
import type { Artifacts } from '@snapstack/packager/artifacts';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { parametersExtensionLayer, type StageConfig } from '../config.js';
import { BucketTrigger } from '../constructs/bucket-trigger.js';
import { NodeFunction } from '../constructs/node-function.js';
import { ScheduledInvoke } from '../constructs/scheduled-invoke.js';
import { SqsWorker } from '../constructs/sqs-worker.js';
import { accountOf } from '../iam/account.js';
import { accessStatements, type GrantTargets } from '../iam/grants.js';
import { SnapstackStack, type SnapstackStackProps } from './snapstack-stack.js';
import type { StatefulStack } from './stateful-stack.js';

export interface ServiceStackProps extends SnapstackStackProps {
  /** Directory name under `packages/`. */
  readonly packageName: string;
  readonly stateful: StatefulStack;
  readonly artifacts: Artifacts;
}

/** Every service package that owns at least one function, in catalog order. */
export function servicePackages(): string[] {
  return [...new Set(Object.values(functions).map((fn: FunctionDefinition) => fn.package))];
}

export function memoryFor(config: StageConfig, id: FunctionId): number {
  const override = config.functionOverrides[id]?.memoryMb;
  return override ?? Math.max(128, Math.round(functions[id].memoryMb * config.memoryScale));
}

/**
 * The ARN of an SSM parameter of this stage. `account` is the stage's 12-digit account id (a
 * Terraform reference from `accountOf`, iam.ts): IAM refuses a policy variable in that field.
 */
export function parameterArn(config: StageConfig, id: ParameterId, account: string): string {
  return `arn:aws:ssm:${config.region}:${account}:parameter${parameterName(config.stage, id)}`;
}

/**
 * A function's deployed environment: the stage's extra settings, the catalog's derivation
 * (domain `functionEnvironment`, which the local runner uses too), the Parameters and Secrets
 * extension's port for functions that read parameters (AWS only: the extension is a layer), then
 * the stage's overrides.
 */
export function environmentFor(
  config: StageConfig,
  id: FunctionId,
  names: ResourceNames,
): Record<string, string> {
  return {
    ...config.environment,
    ...functionEnvironment(id, config.stage, names),
    ...((functions[id] as FunctionDefinition).access.ssm
      ? { [parametersExtension.portEnvVar]: String(parametersExtension.port) }
      : {}),
    ...config.functionOverrides[id]?.environment,
  };
}

export class ServiceStack extends SnapstackStack {
  public readonly functions: Partial<Record<FunctionId, NodeFunction>> = {};

  constructor(scope: Construct, props: ServiceStackProps) {
    super(scope, `service-${props.packageName}`, props);
    const { config, stateful } = props;
    const names: ResourceNames = {
      tables: mapValues(stateful.tables, (t) => t.tableName),
      buckets: mapValues(stateful.buckets, (b) => b.bucketName),
      queueUrls: mapValues(stateful.queues, (q) => q.url),
      // Only the functions that use them receive these (function-environment.ts), so only their
      // stacks read the distribution and the pool from the stateful stack's outputs.
      imageDeliveryUrl: stateful.delivery.url,
      userPool: stateful.signIn.endpoints,
      webAppOrigin: stateful.delivery.url,
    };
    // The stage's account, from the ARN of its domain layer (stateful stack): no lookup, no config.
    // Only SSM parameter ARNs are written here; every other ARN comes from the stateful stack.
    const readsParameters = Object.values(functions as Record<string, FunctionDefinition>).some(
      (fn) => fn.package === props.packageName && fn.access.ssm !== undefined,
    );
    const account = readsParameters ? accountOf(this, 'stage-account', stateful.layer.arn) : undefined;
    const targets: GrantTargets = {
      tables: mapValues(stateful.tables, (t) => t.target),
      buckets: mapValues(stateful.buckets, (b) => b.arn),
      queues: mapValues(stateful.queues, (q) => q.arn),
      parameters: account ? mapValues(parameters, (p) => parameterArn(config, p.id, account)) : {},
    };
    for (const id of Object.keys(functions) as FunctionId[]) {
      if (functions[id].package !== props.packageName) continue;
      const nodeFunction = this.addFunction(props, id, names, targets);
      this.addEventSources(props, id, nodeFunction);
    }
    this.addBucketTriggers(stateful);
  }

  private addFunction(
    { config, stateful, artifacts, packageName }: ServiceStackProps,
    id: FunctionId,
    names: ResourceNames,
    targets: GrantTargets,
  ): NodeFunction {
    const fn: FunctionDefinition = functions[id];
    const functionName = resourceName(config.stage, id);
    const reservedConcurrency = config.functionOverrides[id]?.reservedConcurrency;
    const asyncInvoke = fn.asyncInvoke;
    const failureQueue = asyncInvoke ? stateful.queues[asyncInvoke.onFailureQueue as QueueId] : undefined;
    if (asyncInvoke && !failureQueue)
      throw new Error(`${id}: on-failure queue "${asyncInvoke.onFailureQueue}" is not in domain queues.ts`);
    const nodeFunction = new NodeFunction(this, id, {
      functionName,
      description: functionSummary(id),
      zipFile: artifacts.functions[id].zipFile,
      memoryMb: memoryFor(config, id),
      timeoutSeconds: fn.timeoutSeconds,
      // Each bundle carries its code and SDK clients (packages/packager/src/bundle.ts): no domain
      // layer. A function that reads parameters gets the Parameters and Secrets extension.
      layerArns: fn.access.ssm ? [parametersExtensionLayer(config.region)] : [],
      environment: environmentFor(config, id, names),
      logRetentionDays: config.logRetentionDays,
      ...(reservedConcurrency !== undefined ? { reservedConcurrency } : {}),
      ...(asyncInvoke && failureQueue
        ? {
            asyncInvoke: {
              maximumRetryAttempts: asyncInvoke.maximumRetryAttempts,
              maximumEventAgeSeconds: asyncInvoke.maximumEventAgeSeconds,
              onFailureQueueArn: failureQueue.arn,
            },
          }
        : {}),
      statements: accessStatements(fn.access, {
        ...targets,
        // Only functions of this stack (created earlier in catalog order): an exact ARN, no cross-stack guess.
        functions: Object.fromEntries(
          functionsInvokedBy(id).map((callee) => {
            const target = this.functions[callee];
            if (!target)
              throw new Error(
                `${id} invokes ${callee}, which is not an earlier function of package ${packageName}`,
              );
            return [callee, target.arn];
          }),
        ),
      }),
    });
    this.functions[id] = nodeFunction;
    new TerraformOutput(this, `${id}-function-name`, { value: functionName });
    return nodeFunction;
  }

  /** The function's schedule and SQS event sources, as the catalog declares them. */
  private addEventSources(
    { config, stateful }: ServiceStackProps,
    id: FunctionId,
    nodeFunction: NodeFunction,
  ) {
    const fn: FunctionDefinition = functions[id];
    if (fn.schedule)
      new ScheduledInvoke(this, `${id}-schedule`, {
        fn: nodeFunction,
        name: resourceName(config.stage, id),
        everyMinutes: fn.schedule.everyMinutes,
        region: config.region,
      });
    for (const source of sqsEventSources(fn)) {
      const queue = stateful.queues[source.queue];
      new SqsWorker(this, `${id}-${source.queue}-events`, {
        fn: nodeFunction,
        queueArn: queue.arn,
        queueVisibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
        batchSize: source.batchSize,
        reportBatchItemFailures: source.reportBatchItemFailures,
      });
    }
  }

  /**
   * S3 allows one notification configuration per bucket: one BucketTrigger per bucket whose
   * notifications all target this package's functions.
   */
  private addBucketTriggers(stateful: StatefulStack) {
    for (const definition of Object.values(buckets) as BucketDefinition[]) {
      const notifications = bucketNotifications(definition.id as BucketId);
      const mine = notifications.filter((n) => this.functions[n.function]);
      if (mine.length === 0) continue;
      if (mine.length !== notifications.length)
        throw new Error(
          `bucket ${definition.id} notifies functions of several packages: one stack must own them`,
        );
      const bucket = stateful.buckets[definition.id as BucketId];
      new BucketTrigger(this, `bucket-${definition.id}-trigger`, {
        bucketName: bucket.bucketName,
        bucketArn: bucket.arn,
        targets: mine.map((n) => ({
          fn: this.functions[n.function]!,
          prefix: n.filterPrefix ?? '',
          ...(n.filterSuffix ? { suffix: n.filterSuffix } : {}),
          events: n.events,
        })),
      });
    }
  }
}

function mapValues<K extends string, V, R>(record: Readonly<Record<K, V>>, fn: (v: V) => R): Record<K, R> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v as V)])) as Record<K, R>;
}
