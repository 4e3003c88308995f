import { describe, expect, it } from 'vitest';
import { stringLike } from './iam-pattern.js';

// Moved from the authorizer's policy tests when its copy of the matcher (arnLike) was replaced.
describe('stringLike', () => {
  it.each([
    ['a/*/c', 'a/b/c', true],
    ['a/*/c', 'a/b/x/c', true],
    ['a/?/c', 'a/b/c', true],
    ['a/?/c', 'a/bb/c', false],
    ['a.b', 'axb', false],
  ])('%s ~ %s is %s', (pattern, value, expected) => {
    expect(stringLike(pattern, value)).toBe(expected);
  });

  it('ignores case only when asked (action names), never for ARNs', () => {
    expect(stringLike('execute-api:invoke', 'execute-api:Invoke')).toBe(false);
    expect(stringLike('execute-api:invoke', 'execute-api:Invoke', true)).toBe(true);
  });
});
