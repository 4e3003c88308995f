/**
 * One stack per service package (`packages/<name>`): that package's functions from the catalog,
 * each a NodeFunction with the domain layer, its environment, and a role holding exactly the
 * grants its `access` lists. A team deploys its package with
 * `pnpm run deploy --stage dev --stack service-<name>` without touching the rest.
 */
import { resourceName } from '@snapstack/domain/naming';
import { type FunctionDefinition, type FunctionId, functions } from '@snapstack/domain/routes';
import { type TableId, tables } from '@snapstack/domain/tables';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { Artifacts } from '../../../tools/artifacts.js';
import type { StageConfig } from '../config.js';
import { accessStatements } from '../constructs/grants.js';
import { NodeFunction } from '../constructs/node-function.js';
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

/** The environment a function gets: stage settings plus the physical name of each table it touches. */
export function environmentFor(
  config: StageConfig,
  id: FunctionId,
  tableNames: Readonly<Record<TableId, string>>,
): Record<string, string> {
  const fn: FunctionDefinition = functions[id];
  const touched = Object.keys(fn.access.dynamodb ?? {}) as TableId[];
  return {
    ...config.environment,
    SNAPSTACK_STAGE: config.stage,
    POWERTOOLS_SERVICE_NAME: fn.package,
    ...Object.fromEntries(touched.map((t) => [tables[t].envVar, tableNames[t]])),
    // WIRING (images/likes branches): bucket and queue env vars of the buckets/queues in
    // fn.access, and the SSM parameter name of the JWT secret (config.jwtSecretParameter) for the authorizer.
  };
}

export class ServiceStack extends SnapstackStack {
  public readonly functions: Partial<Record<FunctionId, NodeFunction>> = {};

  constructor(scope: Construct, props: ServiceStackProps) {
    super(scope, `service-${props.packageName}`, props);
    const { config, stateful, artifacts } = props;
    const tableNames = Object.fromEntries(
      Object.entries(stateful.tables).map(([id, t]) => [id, t.tableName]),
    ) as Record<TableId, string>;
    const tableTargets = Object.fromEntries(Object.entries(stateful.tables).map(([id, t]) => [id, t.target]));

    for (const id of Object.keys(functions) as FunctionId[]) {
      const fn: FunctionDefinition = functions[id];
      if (fn.package !== props.packageName) continue;
      const functionName = resourceName(config.stage, id);
      const reservedConcurrency = config.functionOverrides[id]?.reservedConcurrency;
      this.functions[id] = new NodeFunction(this, id, {
        functionName,
        description: fn.description,
        zipFile: artifacts.functions[id].zipFile,
        memoryMb: memoryFor(config, id),
        timeoutSeconds: fn.timeoutSeconds,
        layerArns: [stateful.layer.arn],
        environment: environmentFor(config, id, tableNames),
        logRetentionDays: config.logRetentionDays,
        ...(reservedConcurrency !== undefined ? { reservedConcurrency } : {}),
        statements: accessStatements(fn.access, { tables: tableTargets }),
        // WIRING (images branch): the thumbnailer gets asyncInvoke { maximumRetryAttempts: 2,
        //   maximumEventAgeSeconds, onFailureQueueArn: stateful.queues.<failures>.arn } and, after
        //   this loop, one BucketTrigger per bucket: { bucketName, bucketArn, targets: [{ fn, prefix: 'uploads/' }] }.
        // WIRING (likes branch): after this loop, new SqsWorker(this, ..., { fn: <worker>,
        //   queueArn: stateful.queues.likes.arn, queueVisibilityTimeoutSeconds: stateful.queues.likes.visibilityTimeoutSeconds }).
      });
      new TerraformOutput(this, `${id}-function-name`, { value: functionName });
    }
  }
}
