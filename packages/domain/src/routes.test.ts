import { describe, expect, it } from 'vitest';
import {
  type FunctionDefinition,
  type FunctionId,
  functionNameEnvVar,
  functions,
  functionsInvokedBy,
} from './functions.js';
import { routeOf, routePath, routeScopes, routes } from './routes.js';

describe('the function catalog', () => {
  it.each([
    ['thumbnailer', 'THUMBNAILER_FUNCTION_NAME'],
    ['sweepPending', 'SWEEP_PENDING_FUNCTION_NAME'],
  ])('passes %s its callers through %s', (id, envVar) => {
    expect(functionNameEnvVar(id)).toBe(envVar);
  });

  it('names only catalog functions as invoke targets, and only the sweeper invokes anything', () => {
    const invokes = Object.fromEntries(
      (Object.keys(functions) as FunctionId[]).map((id) => [id, functionsInvokedBy(id)]),
    );
    expect(Object.entries(invokes).filter(([, callees]) => callees.length > 0)).toEqual([
      ['sweepPending', ['thumbnailer']],
    ]);
  });

  it('refuses an invoke target that is not in the catalog', () => {
    const catalog = functions as unknown as Record<string, FunctionDefinition>;
    const original = catalog.sweepPending!;
    catalog.sweepPending = { ...original, access: { lambda: { nowhere: ['InvokeFunction'] } } };
    try {
      expect(() => functionsInvokedBy('sweepPending')).toThrow(/unknown function "nowhere"/);
    } finally {
      catalog.sweepPending = original;
    }
  });
});

describe('routeOf and routePath', () => {
  it("fill a function's route template from the table, encoding each parameter", () => {
    expect(routeOf('getUser')).toMatchObject({ method: 'GET', path: '/users/{id}' });
    expect(routePath('getUser', { id: 'a b/c' })).toBe('/users/a%20b%2Fc');
    expect(routePath('getMetadata', { image_id: 'img-1' })).toBe('/metadata/img-1');
    expect(routePath('listUsers', {})).toBe('/users');
  });

  it('name the canonical route of a function that serves several: the first the table declares', () => {
    // getUser also answers GET /people/{id} (signed-in people); a user's Location stays /users/{id}.
    const served = routes.filter(
      (r) => r.integration.kind === 'lambda' && r.integration.function === 'getUser',
    );
    expect(served.map((r) => r.path)).toEqual(['/users/{id}', '/people/{id}']);
    expect(routeOf('getUser')).toBe(served[0]);
    expect(routePath('listUsers', {})).toBe('/users');
  });

  it('refuses a missing parameter and a function no route integrates', () => {
    expect(() => routePath('getUser', {})).toThrow(/no value for \{id\}/);
    expect(() => routeOf('likesWorker')).toThrow(/likesWorker is the integration of no route/);
  });
});

describe('routeScopes', () => {
  it('lists each scope a jwt route requires once, sorted, and nothing from other routes', () => {
    const scopes = routeScopes();
    expect(scopes).toEqual([...new Set(scopes)].sort());
    for (const route of routes) {
      if (route.auth.kind === 'jwt') for (const s of route.auth.scopes ?? []) expect(scopes).toContain(s);
    }
    expect(scopes).toEqual(expect.arrayContaining(['images:write', 'users:read', 'users:write']));
  });
});
