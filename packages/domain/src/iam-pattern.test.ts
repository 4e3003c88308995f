import { describe, expect, it } from 'vitest';
import { stringLike } from './iam-pattern.js';

describe("IAM's StringLike", () => {
  const arn = 'arn:aws:execute-api:eu-west-1:123456789012:abc/prod/GET/users/42/likes';

  it('lets * span any run of characters, slashes included', () => {
    expect(stringLike('arn:aws:execute-api:eu-west-1:123456789012:abc/prod/GET/users/*', arn)).toBe(true);
    expect(stringLike('arn:aws:execute-api:*:*:abc/prod/*', arn)).toBe(true);
  });

  it.each([
    ['a/*/c', 'a/b/c', true],
    ['a/*/c', 'a/b/x/c', true],
    ['a/?/c', 'a/b/c', true],
    ['a/?/c', 'a/bb/c', false],
    ['a.b', 'axb', false],
  ])('%s ~ %s is %s', (pattern, value, expected) => {
    expect(stringLike(pattern, value)).toBe(expected);
  });

  it('lets ? stand for exactly one character', () => {
    expect(stringLike('abc/prod/GET/users/4?/likes', 'abc/prod/GET/users/42/likes')).toBe(true);
    expect(stringLike('abc/prod/GET/users/?/likes', 'abc/prod/GET/users/42/likes')).toBe(false);
  });

  it('matches the whole value, and treats regular-expression characters literally', () => {
    expect(stringLike('abc/prod', 'abc/prod/GET')).toBe(false);
    expect(stringLike('a.c', 'abc')).toBe(false);
    expect(stringLike('(a)+[b]', '(a)+[b]')).toBe(true);
  });

  it('ignores case only when asked (action names)', () => {
    expect(stringLike('execute-api:invoke', 'execute-api:Invoke')).toBe(false);
    expect(stringLike('execute-api:invoke', 'execute-api:Invoke', true)).toBe(true);
  });
});
