/**
 * The security and completeness rules every synthesized stage must pass, checked over the
 * Terraform JSON itself (what would be deployed), not over the constructs that produced it.
 * Returns human-readable violations; an empty list is a pass.
 */
import type { RouteDefinition } from '@snapstack/domain/routes';
import { statementProblem } from '../src/iam/policy.js';
import { arnProblems } from './arn-rules.js';
import type { TerraformJson } from './synthesized.js';

type Resources = Record<string, Record<string, TerraformJson>>;

interface Located {
  readonly stack: string;
  readonly type: string;
  readonly key: string;
  readonly body: TerraformJson;
}

const ref = (type: string, key: string, attr: string) => `\${${type}.${key}.${attr}}`;

function resourcesOf(stacks: ReadonlyArray<{ name: string; json: TerraformJson }>, type: string): Located[] {
  return stacks.flatMap((s) =>
    Object.entries(((s.json.resource ?? {}) as Resources)[type] ?? {}).map(([key, body]) => ({
      stack: s.name,
      type,
      key,
      body,
    })),
  );
}

const asArray = <T>(v: T | readonly T[] | undefined): T[] =>
  v === undefined ? [] : Array.isArray(v) ? [...v] : [v as T];
const first = (v: unknown): TerraformJson | undefined =>
  Array.isArray(v) ? v[0] : (v as TerraformJson | undefined);

export function checkStage(
  stage: string,
  stacks: ReadonlyArray<{ name: string; json: TerraformJson }>,
  routes: readonly RouteDefinition[],
): string[] {
  const problems: string[] = [];
  const where = (r: Located) => `${r.stack}: ${r.type}.${r.key}`;

  // 1. IAM: no wildcard actions; Resource "*" only for the justified actions.
  const policyDocs = [
    ...resourcesOf(stacks, 'aws_iam_role_policy').map((r) => [r, r.body.policy] as const),
    ...resourcesOf(stacks, 'aws_iam_policy').map((r) => [r, r.body.policy] as const),
    ...resourcesOf(stacks, 'aws_s3_bucket_policy').map((r) => [r, r.body.policy] as const),
    ...resourcesOf(stacks, 'aws_sqs_queue_policy').map((r) => [r, r.body.policy] as const),
    ...resourcesOf(stacks, 'aws_iam_role').map((r) => [r, r.body.assume_role_policy] as const),
  ];
  for (const [r, text] of policyDocs) {
    let doc: TerraformJson;
    try {
      doc = JSON.parse(String(text));
    } catch {
      problems.push(`${where(r)}: policy is not literal JSON, cannot be checked`);
      continue;
    }
    for (const st of asArray<TerraformJson>(doc.Statement)) {
      const problem = statementProblem({
        effect: st.Effect,
        actions: asArray<string>(st.Action),
        resources: asArray<string>(st.Resource),
        hasCondition: st.Condition !== undefined,
      });
      if (problem) problems.push(`${where(r)}: ${problem}`);
      if (st.NotAction || st.NotResource) problems.push(`${where(r)}: NotAction/NotResource is not allowed`);
    }
  }
  // ARNs IAM's grammar accepts (no policy variable in the account field, ...), in every policy.
  problems.push(...arnProblems(stacks));
  for (const r of resourcesOf(stacks, 'aws_iam_role_policy_attachment')) {
    problems.push(`${where(r)}: managed policy attachments cannot be checked; use an exact inline policy`);
  }

  // 2. Buckets: public access block, encryption, TLS-only policy.
  const publicBlocks = resourcesOf(stacks, 'aws_s3_bucket_public_access_block');
  const encryption = resourcesOf(stacks, 'aws_s3_bucket_server_side_encryption_configuration');
  const bucketPolicies = resourcesOf(stacks, 'aws_s3_bucket_policy');
  for (const bucket of resourcesOf(stacks, 'aws_s3_bucket')) {
    const mine = (r: Located) =>
      r.stack === bucket.stack && r.body.bucket === ref('aws_s3_bucket', bucket.key, 'id');
    const block = publicBlocks.find(mine);
    if (
      !block ||
      !['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].every(
        (k) => block.body[k] === true,
      )
    ) {
      problems.push(`${where(bucket)}: no complete public access block`);
    }
    const sse = encryption.find(mine);
    const algorithm = first(first(sse?.body.rule)?.apply_server_side_encryption_by_default)?.sse_algorithm;
    if (!sse || !['AES256', 'aws:kms', 'aws:kms:dsse'].includes(algorithm)) {
      problems.push(`${where(bucket)}: no default encryption`);
    }
    const tlsOnly = bucketPolicies.filter(mine).some((p) => {
      const doc = JSON.parse(String(p.body.policy));
      return asArray<TerraformJson>(doc.Statement).some(
        (st) => st.Effect === 'Deny' && st.Condition?.Bool?.['aws:SecureTransport'] === 'false',
      );
    });
    if (!tlsOnly) problems.push(`${where(bucket)}: no bucket policy denying non-TLS requests`);
  }

  // 3. Tables: encryption and point-in-time recovery (and deletion protection in prod).
  for (const table of resourcesOf(stacks, 'aws_dynamodb_table')) {
    if (first(table.body.server_side_encryption)?.enabled !== true)
      problems.push(`${where(table)}: no server-side encryption`);
    if (first(table.body.point_in_time_recovery)?.enabled !== true)
      problems.push(`${where(table)}: no point-in-time recovery`);
    if (stage === 'prod' && table.body.deletion_protection_enabled !== true) {
      problems.push(`${where(table)}: no deletion protection in prod`);
    }
  }

  // 4. Queues: encryption; a DLQ (or being one).
  const queues = resourcesOf(stacks, 'aws_sqs_queue');
  const dlqTargets = new Set(
    queues.flatMap((q) => {
      if (!q.body.redrive_policy) return [];
      return [`${q.stack}:${JSON.parse(String(q.body.redrive_policy)).deadLetterTargetArn}`];
    }),
  );
  // A Lambda async on-failure destination is a dead-letter queue too (Lambda's, not SQS's): the
  // destination of an event invoke config, directly or through the cross-stack output of its ARN.
  const destinations = resourcesOf(stacks, 'aws_lambda_function_event_invoke_config').flatMap((c) => {
    const destination = first(first(c.body.destination_config)?.on_failure)?.destination;
    return destination ? [String(destination)] : [];
  });
  const isFailureDestination = (queue: Located): boolean => {
    const arn = ref('aws_sqs_queue', queue.key, 'arn');
    const outputs = stacks
      .filter((s) => s.name === queue.stack)
      .flatMap((s) => Object.entries((s.json.output ?? {}) as Record<string, TerraformJson>))
      .filter(([, o]) => o.value === arn)
      .map(([name]) => name);
    return destinations.some((d) => d === arn || outputs.some((name) => d.endsWith(`.outputs.${name}}`)));
  };
  for (const queue of queues) {
    if (queue.body.sqs_managed_sse_enabled !== true && !queue.body.kms_master_key_id) {
      problems.push(`${where(queue)}: no encryption`);
    }
    const isDlq = dlqTargets.has(`${queue.stack}:${ref('aws_sqs_queue', queue.key, 'arn')}`);
    if (!queue.body.redrive_policy && !isDlq && !isFailureDestination(queue))
      problems.push(`${where(queue)}: no dead-letter queue`);
  }

  // 5. Functions: a role of their own, a log group with retention.
  const functions = resourcesOf(stacks, 'aws_lambda_function');
  const logGroups = resourcesOf(stacks, 'aws_cloudwatch_log_group');
  const roleUsers = new Map<string, number>();
  for (const fn of functions)
    roleUsers.set(`${fn.stack}:${fn.body.role}`, (roleUsers.get(`${fn.stack}:${fn.body.role}`) ?? 0) + 1);
  for (const fn of functions) {
    const roleMatch = /^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(String(fn.body.role));
    if (!roleMatch || roleUsers.get(`${fn.stack}:${fn.body.role}`) !== 1) {
      problems.push(`${where(fn)}: does not have a role of its own`);
    }
    const logGroupRef = first(fn.body.logging_config)?.log_group;
    const group = logGroups.find(
      (g) =>
        g.stack === fn.stack &&
        (logGroupRef === ref('aws_cloudwatch_log_group', g.key, 'name') ||
          g.body.name === `/aws/lambda/${fn.body.function_name}`),
    );
    if (!group || !(Number(group.body.retention_in_days) > 0))
      problems.push(`${where(fn)}: no log group with retention`);
  }

  // 6. API stages: throttling and access logs.
  const methodSettings = resourcesOf(stacks, 'aws_api_gateway_method_settings');
  for (const stageRes of resourcesOf(stacks, 'aws_api_gateway_stage')) {
    if (!first(stageRes.body.access_log_settings)?.destination_arn)
      problems.push(`${where(stageRes)}: no access logging`);
    const throttled = methodSettings.some((m) => {
      const s = first(m.body.settings);
      return (
        m.stack === stageRes.stack &&
        m.body.stage_name === ref('aws_api_gateway_stage', stageRes.key, 'stage_name') &&
        m.body.method_path === '*/*' &&
        Number(s?.throttling_rate_limit) > 0 &&
        Number(s?.throttling_burst_limit) > 0
      );
    });
    if (!throttled) problems.push(`${where(stageRes)}: no stage-wide throttling`);
  }

  // 7. Route table <-> API Gateway methods, both ways.
  for (const api of resourcesOf(stacks, 'aws_api_gateway_rest_api')) {
    const resources = resourcesOf(stacks, 'aws_api_gateway_resource').filter((r) => r.stack === api.stack);
    const pathOf = (resourceId: string): string => {
      if (resourceId === ref('aws_api_gateway_rest_api', api.key, 'root_resource_id')) return '/';
      const r = resources.find((x) => resourceId === ref('aws_api_gateway_resource', x.key, 'id'));
      if (!r) return `<unknown ${resourceId}>`;
      const parent = pathOf(String(r.body.parent_id));
      return `${parent === '/' ? '' : parent}/${r.body.path_part}`;
    };
    const integrations = resourcesOf(stacks, 'aws_api_gateway_integration').filter(
      (r) => r.stack === api.stack,
    );
    const deployed = new Set<string>();
    for (const method of resourcesOf(stacks, 'aws_api_gateway_method').filter((m) => m.stack === api.stack)) {
      const route = `${method.body.http_method} ${pathOf(String(method.body.resource_id))}`;
      if (method.body.http_method === 'OPTIONS') {
        const mock = integrations.some(
          (i) =>
            i.body.resource_id === method.body.resource_id &&
            i.body.http_method === ref('aws_api_gateway_method', method.key, 'http_method') &&
            i.body.type === 'MOCK',
        );
        if (!mock) problems.push(`${where(method)}: OPTIONS ${route} is not a CORS preflight (MOCK) method`);
        continue;
      }
      deployed.add(route);
      const definition = routes.find((r) => `${r.method} ${r.path}` === route);
      if (!definition) {
        problems.push(`${where(method)}: method ${route} has no route`);
        continue;
      }
      problems.push(
        ...methodProblems(stacks, api.stack, method, definition).map(
          (p) => `${where(method)}: ${route} ${p}`,
        ),
      );
    }
    for (const r of routes) {
      if (!deployed.has(`${r.method} ${r.path}`))
        problems.push(`${api.stack}: route ${r.method} ${r.path} has no API Gateway method`);
    }
  }
  if (routes.length > 0 && resourcesOf(stacks, 'aws_api_gateway_rest_api').length === 0) {
    problems.push('no REST API although the route table has routes');
  }
  return problems;
}

/** A method enforces its route's auth and reaches its route's kind of integration. */
function methodProblems(
  stacks: ReadonlyArray<{ name: string; json: TerraformJson }>,
  stack: string,
  method: Located,
  route: RouteDefinition,
): string[] {
  const problems: string[] = [];
  const body = method.body;
  if (route.auth.kind === 'jwt') {
    const authorizer = resourcesOf(stacks, 'aws_api_gateway_authorizer').find(
      (a) => a.stack === stack && body.authorizer_id === ref('aws_api_gateway_authorizer', a.key, 'id'),
    );
    if (body.authorization !== 'CUSTOM' || !authorizer?.body.authorizer_uri)
      problems.push('is a jwt route without the Lambda authorizer');
  } else if (body.authorization !== 'NONE') {
    problems.push(`has authorization ${body.authorization} where the route table says ${route.auth.kind}`);
  }
  if ((body.api_key_required === true) !== (route.auth.kind === 'apiKey'))
    problems.push(`api_key_required does not match auth ${route.auth.kind}`);
  const integration = resourcesOf(stacks, 'aws_api_gateway_integration').find(
    (i) =>
      i.stack === stack &&
      i.body.resource_id === body.resource_id &&
      i.body.http_method === ref('aws_api_gateway_method', method.key, 'http_method'),
  );
  if (route.integration.kind === 'lambda') {
    if (integration?.body.type !== 'AWS_PROXY') problems.push('is not a Lambda proxy integration');
  } else if (
    integration?.body.type !== 'AWS' ||
    !integration.body.credentials ||
    integration.body.passthrough_behavior !== 'NEVER' ||
    !String(integration.body.uri).includes(':sqs:path/')
  ) {
    problems.push('is not an SQS service integration with its own role and passthrough NEVER');
  }
  return problems;
}
