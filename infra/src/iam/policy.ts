/**
 * IAM policy documents as plain data. Statements carry exact actions and ARNs (tokens welcome);
 * the helpers below refuse wildcard actions so a sloppy grant fails at synth, not in review.
 *
 * @example
 * policyJson([{ actions: ['dynamodb:GetItem'], resources: [table.arn] }])
 */

export interface PolicyStatement {
  readonly sid?: string;
  readonly effect?: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/**
 * Actions AWS authorizes only against `Resource: "*"`, each with the reason. Nothing else may
 * use "*"; the policy test enforces the same list over the synthesized Terraform.
 * - X-Ray's trace upload APIs have no resource-level permissions (Service Authorization
 *   Reference, AWS X-Ray), so every traced function needs exactly these on "*".
 * - `lambda:CreateEventSourceMapping` has no resource type; it is narrowed with the
 *   `lambda:FunctionArn` condition instead, which is required here.
 * - The deployer's create calls that name no resource yet, and a domain lookup by name (below).
 */
export const STAR_RESOURCE_ACTIONS: Readonly<Record<string, { readonly requiresCondition: boolean }>> = {
  'xray:PutTraceSegments': { requiresCondition: false },
  'xray:PutTelemetryRecords': { requiresCondition: false },
  'lambda:CreateEventSourceMapping': { requiresCondition: true },
  // Creating a user pool or requesting a certificate names no resource yet: the deployer's
  // statements narrow them with the stage's request tag instead (deployer-statements.ts).
  'cognito-idp:CreateUserPool': { requiresCondition: true },
  'acm:RequestCertificate': { requiresCondition: true },
  'acm:AddTagsToCertificate': { requiresCondition: true },
  // Cognito looks a domain up by its name, not by a pool: the action has no resource type.
  'cognito-idp:DescribeUserPoolDomain': { requiresCondition: false },
};

/** Why a statement is not exact enough, or undefined when it is. */
export function statementProblem(statement: {
  readonly effect?: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly hasCondition: boolean;
}): string | undefined {
  if ((statement.effect ?? 'Allow') !== 'Allow') return undefined;
  const wildcard = statement.actions.find((a) => a.includes('*'));
  if (wildcard) return `wildcard IAM action "${wildcard}"`;
  if (statement.resources.includes('*')) {
    const bad = statement.actions.find((a) => {
      const allowed = STAR_RESOURCE_ACTIONS[a];
      return !allowed || (allowed.requiresCondition && !statement.hasCondition);
    });
    if (bad) return `Resource "*" for ${bad}, which is not in the justified list (or lacks its condition)`;
  }
  return undefined;
}

export function assertExact(statement: PolicyStatement): void {
  const problem = statementProblem({ ...statement, hasCondition: statement.conditions !== undefined });
  if (problem) throw new Error(problem);
}

export function policyJson(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((s) => {
      assertExact(s);
      return {
        ...(s.sid ? { Sid: s.sid } : {}),
        Effect: s.effect ?? 'Allow',
        Action: [...s.actions],
        Resource: s.resources.length === 1 ? s.resources[0] : [...s.resources],
        ...(s.conditions ? { Condition: s.conditions } : {}),
      };
    }),
  });
}

/** A role's trust policy: one principal may assume it with one action, under `condition` when given. */
export function trustPolicy(
  principal: { readonly Service: string } | { readonly Federated: string },
  action: 'sts:AssumeRole' | 'sts:AssumeRoleWithWebIdentity',
  condition?: PolicyStatement['conditions'],
): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: principal,
        Action: action,
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  });
}

/** Trust policy letting one AWS service assume a role, under `condition` when given. */
export function serviceTrustPolicy(service: string, condition?: PolicyStatement['conditions']): string {
  return trustPolicy({ Service: service }, 'sts:AssumeRole', condition);
}

/** X-Ray trace upload; the only statement with Resource "*", see STAR_RESOURCE_ACTIONS. */
export const xrayStatement: PolicyStatement = {
  sid: 'XRayTraceUpload',
  actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  resources: ['*'],
};
