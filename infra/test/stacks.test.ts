/**
 * The stages are derived from the domain, not retyped: every catalog function is deployed once
 * with exactly its catalog access, every table exists, and every route reaches its function.
 */
import { type FunctionDefinition, functions, routes } from '@snapstack/domain/routes';
import { tables } from '@snapstack/domain/tables';
import { STAGES, stageConfig } from '../src/config.js';
import { stacksOf, type TerraformJson } from './synthesized.js';

const all = <T = TerraformJson>(stacks: { json: TerraformJson }[], type: string): [string, T][] =>
  stacks.flatMap((s) => Object.entries((s.json.resource?.[type] ?? {}) as Record<string, T>));

describe.each(STAGES)('stage %s', (stage) => {
  const stacks = stacksOf(stage);
  const config = stageConfig(stage);

  it('has the bootstrap, stateful, api and one stack per service package', () => {
    const packages = [...new Set(Object.values(functions).map((f: FunctionDefinition) => f.package))];
    expect(stacks.map((s) => s.name).sort()).toEqual(
      [
        `snapstack-${stage}-api`,
        `snapstack-${stage}-bootstrap`,
        `snapstack-${stage}-stateful`,
        ...packages.map((p) => `snapstack-${stage}-service-${p}`),
      ].sort(),
    );
  });

  it('declares every domain table', () => {
    const names = all(stacks, 'aws_dynamodb_table').map(([, t]) => t.name);
    expect(names.sort()).toEqual(
      Object.values(tables)
        .map((t) => `snapstack-${stage}-${t.id}`)
        .sort(),
    );
  });

  it.each(Object.keys(functions))(
    'deploys %s once, with exactly its catalog access and its table names',
    (id) => {
      const fn: FunctionDefinition = functions[id as keyof typeof functions];
      const service = stacks.find((s) => s.name === `snapstack-${stage}-service-${fn.package}`)!;
      const deployed = all(stacks, 'aws_lambda_function').filter(
        ([, f]) => f.function_name === `snapstack-${stage}-${id}`,
      );
      expect(deployed).toHaveLength(1);
      const [, lambda] = deployed[0]!;
      expect(lambda.timeout).toBe(fn.timeoutSeconds);
      expect(lambda.memory_size).toBe(Math.max(128, Math.round(fn.memoryMb * config.memoryScale)));
      for (const tableId of Object.keys(fn.access.dynamodb ?? {})) {
        expect(lambda.environment.variables[tables[tableId as keyof typeof tables].envVar]).toMatch(
          /remote_state/,
        );
      }
      const roleKey = /^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(lambda.role)![1]!;
      const [[, policy]] = all(
        stacks.filter((s) => s === service),
        'aws_iam_role_policy',
      ).filter(([, p]) => p.role === `\${aws_iam_role.${roleKey}.id}`) as [[string, TerraformJson]];
      const granted = (JSON.parse(policy.policy).Statement as { Action: string[] }[])
        .flatMap((st) => st.Action)
        .filter((a) => a.startsWith('dynamodb:'))
        .sort();
      const expected = Object.values(fn.access.dynamodb ?? {})
        .flatMap((actions) => (actions ?? []).map((a) => `dynamodb:${a}`))
        .sort();
      expect(granted).toEqual(expected);
    },
  );

  it('integrates every lambda route with its own function', () => {
    const integrations = all(stacks, 'aws_api_gateway_integration').filter(([, i]) => i.type === 'AWS_PROXY');
    expect(integrations).toHaveLength(routes.filter((r) => r.integration.kind === 'lambda').length);
    const permissions = all(stacks, 'aws_lambda_permission');
    for (const route of routes) {
      if (route.integration.kind !== 'lambda') continue;
      const suffix = `/*/${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`;
      expect(
        permissions.filter(([, p]) => String(p.source_arn).endsWith(suffix)),
        `${route.method} ${route.path}`,
      ).toHaveLength(1);
    }
  });
});
