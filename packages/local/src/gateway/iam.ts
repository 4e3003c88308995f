/**
 * How API Gateway evaluates an authorizer's policy against a request's method ARN: an explicit
 * Deny wins, then an Allow admits, otherwise the request is implicitly denied.
 */
import { stringLike } from '@snapstack/domain/iam-pattern';

export type PolicyDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

interface StatementLike {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly Resource?: unknown;
}

export function evaluatePolicy(
  policyDocument: { readonly Statement?: unknown },
  methodArn: string,
): PolicyDecision {
  const statements = Array.isArray(policyDocument.Statement)
    ? (policyDocument.Statement as StatementLike[])
    : [];
  const applies = (s: StatementLike) =>
    asList(s.Action).some((action) => stringLike(action, 'execute-api:Invoke', true)) &&
    asList(s.Resource).some((resource) => stringLike(resource, methodArn));
  if (statements.some((s) => s.Effect === 'Deny' && applies(s))) return 'explicit-deny';
  if (statements.some((s) => s.Effect === 'Allow' && applies(s))) return 'allow';
  return 'implicit-deny';
}

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
