import { describe, expect, it } from 'vitest';
import {
  arnPattern,
  literalSegmentCount,
  matchPath,
  parameterName,
  parameterNames,
  pathSegments,
} from './path-template.js';
import { routes } from './routes.js';

describe('path templates', () => {
  it('splits paths into segments, ignoring the leading and trailing slash', () => {
    expect(pathSegments('/')).toEqual([]);
    expect(pathSegments('/users/{id}/')).toEqual(['users', '{id}']);
    expect(pathSegments('/a//b')).toEqual(['a', '', 'b']);
  });

  it('names plain and greedy parameters, and nothing else', () => {
    expect(parameterName('{id}')).toBe('id');
    expect(parameterName('{proxy+}')).toBe('proxy');
    expect(parameterName('users')).toBeUndefined();
    expect(parameterName('{a}{b}')).toBeUndefined();
    expect(parameterNames('/users/{id}/likes/{like_id}')).toEqual(['id', 'like_id']);
  });

  it('matches a path, decoding each parameter; a malformed escape stays as sent', () => {
    expect(matchPath('/users/{id}', '/users/a%20b')).toEqual({ id: 'a b' });
    expect(matchPath('/users/{id}', '/users/%E0%A4%A')).toEqual({ id: '%E0%A4%A' });
    expect(matchPath('/users/{id}/likes', '/users/1/likes')).toEqual({ id: '1' });
  });

  it('refuses other lengths, other literals and empty parameters', () => {
    expect(matchPath('/users/{id}', '/users')).toBeUndefined();
    expect(matchPath('/users/{id}', '/users/1/likes')).toBeUndefined();
    expect(matchPath('/users/{id}', '/people/1')).toBeUndefined();
    expect(matchPath('/users/{id}/likes', '/users//likes')).toBeUndefined();
  });

  it('lets a greedy parameter take the rest of the path, never nothing', () => {
    expect(matchPath('/files/{path+}', '/files/a/b/c.jpg')).toEqual({ path: 'a/b/c.jpg' });
    expect(matchPath('/files/{path+}', '/files')).toBeUndefined();
  });

  it('turns every parameter into an ARN wildcard and counts literal segments', () => {
    expect(arnPattern('/users/{id}/likes')).toBe('/users/*/likes');
    expect(arnPattern('/files/{path+}')).toBe('/files/*');
    expect(literalSegmentCount('/users/{id}/likes')).toBe(2);
  });

  it('matches every route of the table with its own example path', () => {
    for (const route of routes) {
      const example = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => `x-${name}`);
      const params = matchPath(route.path, example);
      expect(Object.keys(params ?? { unmatched: true })).toEqual(parameterNames(route.path));
    }
  });
});
