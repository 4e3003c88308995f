/**
 * IAM's `StringLike` wildcards, as IAM evaluates a policy's `Resource` and `Action` patterns:
 * `*` any run of characters (including `/`), `?` exactly one. Action names ignore case, ARNs do
 * not. The authorizer uses it to keep its policy minimal; the local gateway to evaluate it.
 *
 * @example
 * stringLike('arn:aws:execute-api:*:*:api/prod/GET/users/*', arn)
 */
export function stringLike(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}
