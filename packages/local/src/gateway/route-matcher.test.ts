import type { RouteDefinition } from '@snapstack/domain/routes';
import { describe, expect, it } from 'vitest';
import { compileRoutes } from './route-matcher.js';

const lambda = (fn: string) =>
  ({ kind: 'lambda', function: fn }) as unknown as RouteDefinition['integration'];
const none = { kind: 'none' } as const;
const routes: RouteDefinition[] = [
  { method: 'GET', path: '/users', auth: none, integration: lambda('list') },
  { method: 'GET', path: '/users/{id}', auth: none, integration: lambda('get') },
  { method: 'GET', path: '/users/me', auth: none, integration: lambda('me') },
  { method: 'POST', path: '/users/{id}/likes', auth: none, integration: lambda('like') },
];
const matcher = compileRoutes(routes);

describe('compileRoutes', () => {
  it.each([
    ['GET', '/users', 'list', {}],
    ['GET', '/users/', 'list', {}],
    ['GET', '/users/42', 'get', { id: '42' }],
    ['GET', '/users/me', 'me', {}],
    ['POST', '/users/7/likes', 'like', { id: '7' }],
    ['get', '/users/42', 'get', { id: '42' }],
    ['GET', '/users/a%2Fb', 'get', { id: 'a/b' }],
  ])('routes %s %s to %s', (method, path, fn, params) => {
    const match = matcher.match(method, path);
    expect(match?.route.integration).toEqual(lambda(fn));
    expect(match?.pathParameters).toEqual(params);
  });

  it.each([
    ['GET', '/'],
    ['GET', '/nope'],
    ['GET', '/users/42/extra'],
    ['DELETE', '/users/42'],
    ['GET', '/users//likes'],
  ])('matches nothing for %s %s', (method, path) => {
    expect(matcher.match(method, path)).toBeUndefined();
  });

  it('lists the methods of a resource for preflight', () => {
    expect(matcher.methodsAt('/users/9/likes')).toEqual(['POST']);
    expect(matcher.methodsAt('/nope')).toEqual([]);
  });

  it('refuses a route declared twice', () => {
    expect(() => compileRoutes([routes[0]!, routes[0]!])).toThrow('declared twice');
  });
});
