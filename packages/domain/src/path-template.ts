/**
 * API Gateway resource path templates (`/users/{id}`, `/files/{path+}`): the one place they are
 * parsed. The local runner matches requests with them, the authorizer and infra turn them into
 * execute-api ARN patterns, and infra names resources and request parameters after them.
 *
 * @example
 * matchPath('/users/{id}', '/users/42')   // { id: '42' }
 * arnPattern('/users/{id}/likes')         // '/users/*\/likes'
 */

/** The segments of a path or template, without the leading and trailing slash. */
export function pathSegments(path: string): string[] {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? [] : trimmed.replace(/^\//, '').split('/');
}

/** `{id}` -> `id`, `{path+}` -> `path`; undefined for a literal segment. */
export function parameterName(segment: string): string | undefined {
  const match = /^\{([^{}+]+)\+?\}$/.exec(segment);
  return match?.[1];
}

/** Whether a segment is a greedy `{name+}` parameter (it spans the rest of the path). */
export function isGreedy(segment: string): boolean {
  return /^\{[^{}+]+\+\}$/.test(segment);
}

/** The parameter names of a template, in order. */
export function parameterNames(template: string): string[] {
  return pathSegments(template).flatMap((segment) => parameterName(segment) ?? []);
}

/** Literal segments of a template: API Gateway prefers `/users/me` to `/users/{id}`. */
export function literalSegmentCount(template: string): number {
  return pathSegments(template).filter((segment) => parameterName(segment) === undefined).length;
}

/**
 * The path parameters of `path` under `template`, percent-decoded (a malformed escape is kept
 * as sent), or undefined when it does not match. A parameter never matches an empty segment.
 */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const expected = pathSegments(template);
  const actual = pathSegments(path);
  const params: Record<string, string> = {};
  for (const [i, segment] of expected.entries()) {
    const name = parameterName(segment);
    if (name !== undefined && isGreedy(segment)) {
      const rest = actual.slice(i);
      if (rest.length === 0 || rest.some((s) => s === '')) return undefined;
      params[name] = safeDecode(rest.join('/'));
      return i === expected.length - 1 ? params : undefined;
    }
    const value = actual[i];
    if (value === undefined) return undefined;
    if (name === undefined) {
      if (segment !== value) return undefined;
    } else {
      if (value === '') return undefined;
      params[name] = safeDecode(value);
    }
  }
  return expected.length === actual.length ? params : undefined;
}

/** `/users/{id}` -> `/users/*`: the resource part of an execute-api ARN pattern. */
export function arnPattern(template: string): string {
  return template.replace(/\{[^}]+\}/g, '*');
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
