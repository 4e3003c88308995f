/**
 * One stack per service package (`packages/<name>`): that package's functions from the catalog,
 * each a NodeFunction with the domain layer, its environment, and a role holding exactly the
 * grants its `access` lists. A team deploys its package with
 * `pnpm run deploy --stage dev --stack service-<name>` without touching the rest.
 */
import { type BucketDefinition, type BucketId, buckets } from '@snapstack/domain/buckets';
import { CORS_ORIGINS_ENV } from '@snapstack/domain/cors';
import { resourceName } from '@snapstack/domain/naming';
import { type ParameterId, parameterName, parameters } from '@snapstack/domain/parameters';
import { type QueueId, queues } from '@snapstack/domain/queues';
import {
  apiSettings,
  corsOrigins,
  type FunctionDefinition,
  type FunctionId,
  functionNameEnvVar,
  functions,
  functionsInvokedBy,
  routes,
} from '@snapstack/domain/routes';
import { type TableId, tables } from '@snapstack/domain/tables';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { Artifacts } from '../../../tools/artifacts.js';
import type { StageConfig } from '../config.js';
import { BucketTrigger } from '../constructs/bucket-trigger.js';
import { accessStatements } from '../constructs/grants.js';
import { accountOf } from '../constructs/iam.js';
import { NodeFunction } from '../constructs/node-function.js';
import { ScheduledInvoke } from '../constructs/scheduled-invoke.js';
import { SqsWorker } from '../constructs/sqs-worker.js';
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

/** Physical names (or URLs) of the stage's resources, by domain id. */
export interface ResourceNames {
  readonly tables: Readonly<Record<TableId, string>>;
  readonly buckets: Readonly<Record<BucketId, string>>;
  readonly queueUrls: Readonly<Record<QueueId, string>>;
}

/**
 * The ARN of an SSM parameter of this stage. `account` is the stage's 12-digit account id (a
 * Terraform reference from `accountOf`, iam.ts): IAM refuses a policy variable in that field.
 */
export function parameterArn(config: StageConfig, id: ParameterId, account: string): string {
  return `arn:aws:ssm:${config.region}:${account}:parameter${parameterName(config.stage, id)}`;
}

/** Functions that serve a Lambda proxy route (they answer with CORS headers themselves). */
function servesApi(id: FunctionId): boolean {
  return routes.some((r) => r.integration.kind === 'lambda' && r.integration.function === id);
}

/**
 * The environment a function gets, derived from the catalog: stage settings; the physical name
 * of every table, bucket and SSM parameter its package's `config.ts` reads (a package's config
 * is one module loaded by each of its handlers, so it is the union over the package's
 * functions' `access`); queue URLs of queues the code sends to (event source consumers and
 * Lambda destinations need none); the CORS origins for API functions (domain/http.ts); and the
 * issuer settings for the authorizer. Tuning variables with defaults in code (THUMBNAIL_SIZES,
 * THUMBNAIL_FORMAT, MAX_UPLOAD_BYTES, ...) come from `config.functionOverrides[id].environment`
 * only when a stage changes them, so each default lives once, in its package's config.ts.
 */
export function environmentFor(
  config: StageConfig,
  id: FunctionId,
  names: ResourceNames,
): Record<string, string> {
  const fn: FunctionDefinition = functions[id];
  const siblings = Object.values(functions as Record<string, FunctionDefinition>).filter(
    (f) => f.package === fn.package,
  );
  const used = <K extends string>(pick: (f: FunctionDefinition) => Partial<Record<K, unknown>> | undefined) =>
    [...new Set(siblings.flatMap((f) => Object.keys(pick(f) ?? {}) as K[]))].sort();
  const sentTo = [
    ...new Set(
      siblings.flatMap((f) =>
        Object.entries(f.access.sqs ?? {}).flatMap(([q, actions]) =>
          (actions as readonly string[]).includes('SendMessage') ? [q as QueueId] : [],
        ),
      ),
    ),
  ].sort();
  const authorizer = apiSettings.authorizer;
  return {
    ...config.environment,
    SNAPSTACK_STAGE: config.stage,
    POWERTOOLS_SERVICE_NAME: fn.package,
    ...Object.fromEntries(
      used<TableId>((f) => f.access.dynamodb).map((t) => [tables[t].envVar, names.tables[t]]),
    ),
    ...Object.fromEntries(
      used<BucketId>((f) => f.access.s3).map((b) => [buckets[b].envVar, names.buckets[b]]),
    ),
    ...Object.fromEntries(
      used<ParameterId>((f) => f.access.ssm).map((p) => [
        parameters[p].envVar,
        parameterName(config.stage, p),
      ]),
    ),
    ...Object.fromEntries(sentTo.map((q) => [queues[q].envVar, names.queueUrls[q]])),
    ...Object.fromEntries(
      [...new Set(siblings.flatMap((f) => Object.keys(f.access.lambda ?? {})))]
        .sort()
        .map((callee) => [functionNameEnvVar(callee), resourceName(config.stage, callee)]),
    ),
    ...(servesApi(id) ? { [CORS_ORIGINS_ENV]: corsOrigins(config.stage).join(',') } : {}),
    ...(id === authorizer.function
      ? {
          AUTH_ISSUER_KIND: 'sharedSecret',
          AUTH_ISSUER: authorizer.sharedSecret.issuer,
          AUTH_AUDIENCE: authorizer.sharedSecret.audience,
        }
      : {}),
    ...config.functionOverrides[id]?.environment,
  };
}

export class ServiceStack extends SnapstackStack {
  public readonly functions: Partial<Record<FunctionId, NodeFunction>> = {};

  constructor(scope: Construct, props: ServiceStackProps) {
    super(scope, `service-${props.packageName}`, props);
    const { config, stateful, artifacts } = props;
    const names: ResourceNames = {
      tables: mapValues(stateful.tables, (t) => t.tableName),
      buckets: mapValues(stateful.buckets, (b) => b.bucketName),
      queueUrls: mapValues(stateful.queues, (q) => q.url),
    };
    // The stage's account, from the ARN of its domain layer (stateful stack): no lookup, no config.
    // Only SSM parameter ARNs are written here; every other ARN comes from the stateful stack.
    const readsParameters = Object.values(functions as Record<string, FunctionDefinition>).some(
      (fn) => fn.package === props.packageName && fn.access.ssm !== undefined,
    );
    const account = readsParameters ? accountOf(this, 'stage-account', stateful.layer.arn) : undefined;
    const targets = {
      tables: mapValues(stateful.tables, (t) => t.target),
      buckets: mapValues(stateful.buckets, (b) => b.arn),
      queues: mapValues(stateful.queues, (q) => q.arn),
      parameters: account ? mapValues(parameters, (p) => parameterArn(config, p.id, account)) : {},
    };

    for (const id of Object.keys(functions) as FunctionId[]) {
      const fn: FunctionDefinition = functions[id];
      if (fn.package !== props.packageName) continue;
      const functionName = resourceName(config.stage, id);
      const reservedConcurrency = config.functionOverrides[id]?.reservedConcurrency;
      const asyncInvoke = fn.asyncInvoke;
      const failureQueue = asyncInvoke ? stateful.queues[asyncInvoke.onFailureQueue as QueueId] : undefined;
      if (asyncInvoke && !failureQueue)
        throw new Error(`${id}: on-failure queue "${asyncInvoke.onFailureQueue}" is not in domain queues.ts`);
      const nodeFunction = new NodeFunction(this, id, {
        functionName,
        description: fn.description,
        zipFile: artifacts.functions[id].zipFile,
        memoryMb: memoryFor(config, id),
        timeoutSeconds: fn.timeoutSeconds,
        layerArns: [stateful.layer.arn],
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
                  `${id} invokes ${callee}, which is not an earlier function of package ${props.packageName}`,
                );
              return [callee, target.arn];
            }),
          ),
        }),
      });
      this.functions[id] = nodeFunction;
      if (fn.schedule)
        new ScheduledInvoke(this, `${id}-schedule`, {
          fn: nodeFunction,
          name: functionName,
          everyMinutes: fn.schedule.everyMinutes,
          region: config.region,
        });
      new TerraformOutput(this, `${id}-function-name`, { value: functionName });

      for (const source of fn.events ?? []) {
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

    // S3 allows one notification configuration per bucket: one BucketTrigger per bucket whose
    // notifications all target this package's functions.
    for (const definition of Object.values(buckets) as BucketDefinition[]) {
      const mine = definition.notifications.filter((n) => this.functions[n.function]);
      if (mine.length === 0) continue;
      if (mine.length !== definition.notifications.length)
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
