/**
 * Reading a header by name from the shapes headers arrive in: Lambda proxy events (any case,
 * `null` when absent), Node's `IncomingHttpHeaders` (lower case, repeated ones as arrays) and
 * SDK or fetch-style records. The first value wins, as API Gateway's `headers` map keeps it.
 *
 * @example
 * headerValue(event.headers, 'Content-Type') // 'image/png'
 */
export type HeaderBag =
  | Readonly<Record<string, string | readonly string[] | undefined | null>>
  | null
  | undefined;

export function headerValue(headers: HeaderBag, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === null || value === undefined) continue;
    return typeof value === 'string' ? value : value[0];
  }
  return undefined;
}
