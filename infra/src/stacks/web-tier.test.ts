import type { RouteDefinition } from '@snapstack/domain/routes';
import { routeScopes } from '@snapstack/domain/routes';
import { webOrigins } from '../config.js';
import { apiScopes, scopeDescription } from './web-tier.js';

const route = (method: RouteDefinition['method'], path: string, scopes: string[]): RouteDefinition => ({
  method,
  path,
  auth: { kind: 'jwt', scopes },
  integration: { kind: 'lambda', function: 'getUser' },
});

describe('scopeDescription', () => {
  it('names the routes that require the scope, and no other', () => {
    const table = [
      route('POST', '/a', ['a:write']),
      route('GET', '/b', ['b:read']),
      route('DELETE', '/a/{id}', ['a:write', 'b:read']),
    ];
    expect(scopeDescription('a:write', table)).toBe('Calls POST /a, DELETE /a/{id}');
  });

  it("stays within Cognito's 256 characters however many routes share a scope", () => {
    const table = Array.from({ length: 40 }, (_, i) => route('GET', `/things/${i}/items`, ['x:read']));
    const description = scopeDescription('x:read', table);
    expect(description).toHaveLength(256);
    expect(description.endsWith('…')).toBe(true);
  });
});

describe('apiScopes', () => {
  it("offers exactly the route table's scopes", () => {
    expect(apiScopes().map((s) => s.name)).toEqual(routeScopes());
  });
});

describe('webOrigins', () => {
  it('keeps the origins Cognito takes as callbacks: https, and http only on localhost', () => {
    expect(webOrigins('dev')).toEqual(['http://localhost:5173']);
    expect(webOrigins('prod')).toEqual(['https://snapstack.example']);
    // A stage without its own CORS list gets `*`, which is no origin to return to.
    expect(webOrigins('local')).toEqual([]);
  });
});
