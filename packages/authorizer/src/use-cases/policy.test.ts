import { stringLike } from '@snapstack/domain/iam-pattern';
import { arnPattern } from '@snapstack/domain/path-template';
import type { RouteDefinition } from '@snapstack/domain/routes';
import { routes } from '@snapstack/domain/routes';
import { evaluatePolicy } from '@snapstack/local/iam';
import { describe, expect, it } from 'vitest';
import { apiStageArn, buildPolicy, permits, routeArn } from './policy.js';

const API = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod';
const arnOf = (method: string, path: string) => `${API}/${method}${path}`;

/** The whole table the issue declares (likes and images routes included), for policy shape tests. */
const lambda = { kind: 'lambda', function: 'createUser' } as const;
const issueTable: RouteDefinition[] = [
  { method: 'GET', path: '/users', auth: { kind: 'apiKey' }, integration: lambda },
  { method: 'GET', path: '/users/{id}', auth: { kind: 'apiKey' }, integration: lambda },
  { method: 'POST', path: '/users', auth: { kind: 'jwt', scopes: ['users:write'] }, integration: lambda },
  {
    method: 'PATCH',
    path: '/users/{id}',
    auth: { kind: 'jwt', scopes: ['users:write'] },
    integration: lambda,
  },
  {
    method: 'DELETE',
    path: '/users/{id}',
    auth: { kind: 'jwt', scopes: ['users:write'] },
    integration: lambda,
  },
  { method: 'POST', path: '/users/{id}/likes', auth: { kind: 'jwt' }, integration: lambda },
  { method: 'POST', path: '/upload', auth: { kind: 'jwt', scopes: ['images:write'] }, integration: lambda },
  { method: 'POST', path: '/uploads', auth: { kind: 'jwt', scopes: ['images:write'] }, integration: lambda },
  { method: 'POST', path: '/process', auth: { kind: 'jwt', scopes: ['images:write'] }, integration: lambda },
  { method: 'GET', path: '/metadata/{image_id}', auth: { kind: 'apiKey' }, integration: lambda },
];

const policyFor = (
  table: readonly RouteDefinition[],
  scopes: string[],
  methodArn = arnOf('POST', '/users'),
) =>
  buildPolicy(table, {
    methodArn,
    principalId: 'alice',
    scopes,
    context: { sub: 'alice', scope: scopes.join(' ') },
  });

describe('apiStageArn / routeArn', () => {
  it('derives the API stage from any method ARN and turns {params} into wildcards', () => {
    expect(apiStageArn(arnOf('PATCH', '/users/42'))).toBe(API);
    expect(routeArn(API, { method: 'POST', path: '/users/{id}/likes' })).toBe(`${API}/POST/users/*/likes`);
  });

  it('rejects something that is not a method ARN', () => {
    expect(() => apiStageArn('arn:aws:lambda:eu-west-1:123456789012:function:x')).toThrow();
  });
});

describe('buildPolicy', () => {
  it('answers with principalId = sub and a flat context', () => {
    const result = policyFor(routes, ['users:write']);
    expect(result.principalId).toBe('alice');
    expect(result.context).toEqual({ sub: 'alice', scope: 'users:write' });
  });

  // One cached policy must decide every request the token makes, so check it on every route.
  it.each([[[]], [['users:write']], [['images:write']], [['users:write', 'images:write']], [['other']]])(
    'for scopes %j decides every jwt route of the issue table as its auth says',
    (scopes) => {
      const { policyDocument } = policyFor(issueTable, scopes);
      for (const route of issueTable.filter((r) => r.auth.kind === 'jwt')) {
        const requestArn = arnOf(route.method, route.path.replace(/\{[^}]+\}/g, 'some-id'));
        const expected = permits(route, scopes) ? 'allow' : 'explicit-deny';
        expect(evaluatePolicy(policyDocument, requestArn), `${route.method} ${route.path}`).toBe(expected);
      }
    },
  );

  it('decides every jwt route of the live route table too', () => {
    const every = [...new Set(routes.flatMap((r) => (r.auth.kind === 'jwt' ? (r.auth.scopes ?? []) : [])))];
    const scopeSets = [[], ...every.map((scope) => [scope]), every];
    for (const scopes of scopeSets) {
      const { policyDocument } = policyFor(routes, scopes);
      for (const route of routes.filter((r) => r.auth.kind === 'jwt')) {
        const requestArn = arnOf(route.method, route.path.replace(/\{[^}]+\}/g, 'x'));
        expect(evaluatePolicy(policyDocument, requestArn), `${route.method} ${route.path}`).toBe(
          permits(route, scopes) ? 'allow' : denialFor(route, scopes),
        );
      }
    }
  });

  it('explicitly denies every jwt route it does not allow, unless that would deny an allowed one', () => {
    // DELETE /users/{id} needs users:write; DELETE /users/{id}/likes takes any token. The deny
    // pattern DELETE/users/* would also match the likes ARN, so a token without users:write
    // gets the implicit deny (still a 403) on DELETE /users/{id}.
    const usersDelete = routes.find((r) => r.method === 'DELETE' && r.path === '/users/{id}');
    const unlike = routes.find((r) => r.method === 'DELETE' && r.path === '/users/{id}/likes');
    if (!usersDelete || !unlike) throw new Error('the route table lost the routes this test is about');
    const { policyDocument } = policyFor(routes, []);
    expect(evaluatePolicy(policyDocument, arnOf('DELETE', '/users/x/likes'))).toBe('allow');
    expect(evaluatePolicy(policyDocument, arnOf('DELETE', '/users/x'))).toBe('implicit-deny');
    expect(evaluatePolicy(policyDocument, arnOf('POST', '/users'))).toBe('explicit-deny');
  });

  it('never denies an allowed route through an overlapping wildcard', () => {
    const table: RouteDefinition[] = [
      {
        method: 'POST',
        path: '/users/{id}',
        auth: { kind: 'jwt', scopes: ['users:write'] },
        integration: lambda,
      },
      { method: 'POST', path: '/users/{id}/likes', auth: { kind: 'jwt' }, integration: lambda },
    ];
    const { policyDocument } = policyFor(table, []);
    expect(evaluatePolicy(policyDocument, arnOf('POST', '/users/7/likes'))).toBe('allow');
    expect(evaluatePolicy(policyDocument, arnOf('POST', '/users/7'))).not.toBe('allow');
  });

  it('denies the whole stage when the table has no jwt routes', () => {
    const { policyDocument } = policyFor([], ['users:write']);
    expect(evaluatePolicy(policyDocument, arnOf('GET', '/anything'))).toBe('explicit-deny');
  });

  it('does not reach other stages or APIs', () => {
    const { policyDocument } = policyFor(issueTable, ['users:write']);
    expect(evaluatePolicy(policyDocument, arnOf('POST', '/users').replace('/prod/', '/dev/'))).toBe(
      'implicit-deny',
    );
  });
});

/** The denial AWS gives a route the token lacks scopes for (see the policy module's header). */
function denialFor(route: RouteDefinition, scopes: readonly string[]): 'explicit-deny' | 'implicit-deny' {
  const pattern = `${route.method}${arnPattern(route.path)}`;
  const overlapsAllowed = routes.some(
    (other) =>
      permits(other, scopes) &&
      stringLike(pattern, `${other.method}${other.path.replace(/\{[^}]+\}/g, 'x')}`),
  );
  return overlapsAllowed ? 'implicit-deny' : 'explicit-deny';
}
