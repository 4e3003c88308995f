/**
 * Generators for the fuzz suite, derived from the route table and its JSON Schemas so a new
 * route or a changed bound is fuzzed without touching this file.
 *
 * - `validValue(schema)`: values the draft-04 subset our schemas use (object, string, integer,
 *   array; properties, required, additionalProperties, minProperties, min/maxLength, pattern,
 *   enum, minimum/maximum, items, min/maxItems, uniqueItems) accepts.
 * - `mutatedBody(schema)`: a valid value broken on purpose — wrong types, bounds, hostile unicode,
 *   huge numbers written as raw JSON text, prototype keys, invalid UTF-8, truncation, odd content types.
 * - `hostileSegment` / `hostileQuery` / `oddHeaders` / `oddMethod`: what a client may put in a URL
 *   and its headers.
 * - `fillPath(route, ids, style)` / `pathId(ids)`: a route's path with existing or hostile ids.
 */
import type { RouteDefinition } from '@snapstack/domain/routes';
import { type JsonSchema, requestSchemas } from '@snapstack/domain/schemas';
import fc from 'fast-check';

/** DynamoDB refuses a partition key over 2048 bytes (UTF-8); the ids below straddle it. */
export const DYNAMODB_KEY_LIMIT_BYTES = 2048;

/** A request the fuzz client sends: path and query already encoded as they go on the wire. */
export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
}

// ---------------------------------------------------------------------------------------------
// Strings

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const astral = fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c));
const specials = fc.constantFrom(
  '\u0000',
  '\u202e', // right-to-left override
  '\ufeff', // byte order mark
  '\ufffd',
  '\u0301', // combining acute accent
  '👍',
  '👨‍👩‍👧‍👦',
  '\r\n',
  '"',
  '\\',
  '%',
  '/',
  '..',
);

/** Unicode text: ASCII, any code point, astral characters, lone surrogates, specials. */
export const hostileText = (constraints: { minLength?: number; maxLength?: number } = {}) =>
  fc.string({
    ...constraints,
    unit: fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
      { weight: 1, arbitrary: astral },
      { weight: 1, arbitrary: loneSurrogate },
      { weight: 1, arbitrary: specials },
    ),
  });

/** Well-formed text (no lone surrogates): what a valid string property holds. */
const validText = (constraints: { minLength?: number; maxLength?: number }) =>
  fc.string({
    ...constraints,
    unit: fc.oneof(
      { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
      { weight: 1, arbitrary: astral },
    ),
  });

/** JSON Schema lengths count code points, as ajv does. */
const codePoints = (s: string) => [...s].length;

// ---------------------------------------------------------------------------------------------
// Valid values from a schema

/**
 * Values of existing things by property name (`{ image_id: [...] }`): a property of that name
 * takes one of them half the time, so bodies reach real items, not only unknown ones.
 */
export type KnownValues = Readonly<Record<string, readonly string[]>>;

export function validValue(schema: JsonSchema, known: KnownValues = {}): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string': {
      const { minLength = 0, maxLength = 200 } = schema;
      const base = schema.pattern
        ? fc.stringMatching(new RegExp(schema.pattern))
        : validText({ minLength, maxLength });
      return base.filter((s) => codePoints(s) >= minLength && codePoints(s) <= maxLength);
    }
    case 'integer':
      return fc.integer({
        min: schema.minimum ?? Number.MIN_SAFE_INTEGER,
        max: schema.maximum ?? Number.MAX_SAFE_INTEGER,
      });
    case 'array': {
      const items = validValue(schema.items ?? {});
      const constraints = { minLength: schema.minItems ?? 0, maxLength: schema.maxItems ?? 10 };
      return schema.uniqueItems ? fc.uniqueArray(items, constraints) : fc.array(items, constraints);
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const model = Object.fromEntries(
        Object.entries(properties).map(([k, s]) => {
          const existing = known[k] ?? [];
          return [
            k,
            existing.length > 0 ? fc.oneof(fc.constantFrom(...existing), validValue(s)) : validValue(s),
          ];
        }),
      );
      const record = fc.record(model, { requiredKeys: [...(schema.required ?? [])] }) as fc.Arbitrary<
        Record<string, unknown>
      >;
      const minProperties = schema.minProperties ?? 0;
      return record.filter((v) => Object.keys(v).length >= minProperties);
    }
    default:
      throw new Error(`the fuzz generator does not know schema type ${String(schema.type)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Invalid values from a schema

/** A value of some other JSON type than the schema's. */
function wrongType(schema: JsonSchema): fc.Arbitrary<unknown> {
  const all: Record<string, fc.Arbitrary<unknown>> = {
    string: fc.string({ maxLength: 5 }),
    integer: fc.integer(),
    number: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
    boolean: fc.boolean(),
    null: fc.constant(null),
    array: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
    object: fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  };
  const others = Object.entries(all).filter(
    ([t]) => t !== schema.type && !(t === 'integer' && schema.type === 'number'),
  );
  return fc.oneof(...others.map(([, a]) => a));
}

/** Values just outside the schema's bounds (and huge numbers that JSON can carry). */
function outOfBounds(schema: JsonSchema): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [wrongType(schema)];
  switch (schema.type) {
    case 'string':
      if (schema.minLength) options.push(fc.constant(''));
      if (schema.maxLength !== undefined)
        options.push(hostileText({ minLength: schema.maxLength + 1, maxLength: schema.maxLength + 3 }));
      options.push(hostileText({ maxLength: 20 }));
      if (schema.enum) options.push(fc.constantFrom('image/svg+xml', 'IMAGE/PNG', 'image/', 'text/html'));
      break;
    case 'integer':
      if (schema.minimum !== undefined) options.push(fc.constant(schema.minimum - 1));
      if (schema.maximum !== undefined) options.push(fc.constant(schema.maximum + 1));
      options.push(
        fc.constantFrom(1e300, -1e300, 2 ** 53, 2 ** 64, Number.MAX_VALUE, 0.5, 18.5, -0, -1),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
      );
      break;
    case 'array':
      options.push(fc.constant([]));
      if (schema.maxItems !== undefined && schema.items)
        options.push(
          fc.array(validValue(schema.items), {
            minLength: schema.maxItems + 1,
            maxLength: schema.maxItems + 2,
          }),
        );
      if (schema.uniqueItems && schema.items) options.push(validValue(schema.items).map((v) => [v, v]));
      if (schema.items) options.push(fc.array(outOfBounds(schema.items), { minLength: 1, maxLength: 3 }));
      break;
  }
  return fc.oneof(...options);
}

/** Keys that name Object.prototype's members: a body must never reach an object's prototype. */
export const prototypeKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
);

/** A value the schema refuses (or, for a few, one it accepts but a handler may choke on). */
export function invalidValue(schema: JsonSchema, known: KnownValues = {}): fc.Arbitrary<unknown> {
  if (schema.type !== 'object') return outOfBounds(schema);
  const properties = Object.entries(schema.properties ?? {});
  const valid = validValue(schema, known) as fc.Arbitrary<Record<string, unknown>>;
  const options: fc.Arbitrary<unknown>[] = [
    wrongType(schema),
    fc.constant({}),
    // An unknown property, sometimes one named like Object.prototype's members.
    fc
      .tuple(valid, fc.oneof(prototypeKey, fc.string({ maxLength: 8 })), fc.jsonValue({ maxDepth: 2 }))
      .filter(([, key]) => !(key in (schema.properties ?? {})))
      .map(([v, key, extra]) => ({ ...v, [key]: extra })),
  ];
  if (properties.length > 0) {
    const property = fc.constantFrom(...properties);
    // One property replaced by a bad value.
    options.push(
      fc.tuple(valid, property).chain(([v, [key, s]]) => outOfBounds(s).map((bad) => ({ ...v, [key]: bad }))),
    );
    for (const key of schema.required ?? []) options.push(valid.map(({ [key]: _dropped, ...rest }) => rest));
  }
  return fc.oneof(...options);
}

// ---------------------------------------------------------------------------------------------
// Bodies on the wire

export interface WireBody {
  readonly body: Buffer;
  readonly contentType?: string;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');

/** Numbers JSON.stringify cannot write: beyond double range, beyond safe integers, odd forms. */
const rawNumber = fc.constantFrom(
  '1e309',
  '-1e309',
  '1e300',
  '9007199254740993',
  '1E400',
  '0.1e-400',
  '-0',
  '018',
  '18.0',
  '1e2',
);

/** Replaces the first number in a JSON text with a raw number token. */
const withRawNumber = (text: string, raw: string) =>
  text.replace(/(:\s*)-?\d+(\.\d+)?([eE][+-]?\d+)?/, `$1${raw}`);

/** Bytes that are not UTF-8: a lone continuation byte, an overlong slash, an encoded surrogate, 0xFF. */
const invalidUtf8 = fc.constantFrom(
  Buffer.from([0x80]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xff, 0xfe]),
  Buffer.from([0xc3]),
  Buffer.from([0xf4, 0x90, 0x80, 0x80]),
);

const bodyContentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom<string | undefined>(
      undefined,
      'text/plain',
      'application/json; charset=utf-8',
      'application/json; charset=utf-16le',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'image/png',
      'application/octet-stream',
      'application/xml',
      '',
      '*/*',
      'application/json, text/plain',
    ),
  },
);

/** A body the route's schema refuses, or that is not even JSON text. */
export function mutatedBody(schema: JsonSchema, known: KnownValues = {}): fc.Arbitrary<WireBody> {
  const valid = validValue(schema, known);
  const text = (a: fc.Arbitrary<string | Buffer>) =>
    fc.tuple(a, bodyContentType).map(([body, contentType]) => ({
      body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
      ...(contentType !== undefined ? { contentType } : {}),
    }));
  return fc.oneof(
    { weight: 6, arbitrary: text(invalidValue(schema, known).map(json)) },
    // Valid bodies under odd content types (API Gateway validates JSON whatever the type says).
    { weight: 1, arbitrary: text(valid.map(json)) },
    {
      weight: 2,
      arbitrary: text(fc.tuple(valid, rawNumber).map(([v, raw]) => withRawNumber(JSON.stringify(v), raw))),
    },
    {
      weight: 2,
      arbitrary: text(
        fc
          .tuple(valid, prototypeKey, fc.jsonValue({ maxDepth: 2 }))
          .map(([v, key, extra]) =>
            `{${JSON.stringify(key)}:${JSON.stringify(extra) ?? 'null'},${JSON.stringify(v).slice(1)}`.replace(
              ',}',
              '}',
            ),
          ),
      ),
    },
    // The same key twice: JSON.parse keeps the last, a careless reader the first.
    {
      weight: 1,
      arbitrary: text(
        fc.tuple(valid, fc.jsonValue({ maxDepth: 1 })).map(([v, other]) => {
          const entries = Object.entries(v as Record<string, unknown>);
          const first = entries[0];
          if (!first) return JSON.stringify(v);
          return `{${JSON.stringify(first[0])}:${JSON.stringify(other) ?? 'null'},${JSON.stringify(v).slice(1)}`;
        }),
      ),
    },
    {
      weight: 2,
      arbitrary: text(
        fc.tuple(valid.map(json), invalidUtf8, fc.nat()).map(([body, bad, at]) => {
          // Inside a string value when there is one: the quote after the first `":"`.
          const quote = body.indexOf('":"');
          const i = quote >= 0 ? quote + 3 : at % (body.length + 1);
          return Buffer.concat([body.subarray(0, i), bad, body.subarray(i)]);
        }),
      ),
    },
    {
      weight: 2,
      arbitrary: text(
        fc
          .tuple(
            valid.map((v) => JSON.stringify(v)),
            fc.nat(),
          )
          .map(([t, at]) => t.slice(0, at % Math.max(t.length, 1))),
      ),
    },
    {
      weight: 2,
      arbitrary: text(
        fc.oneof(
          fc.constantFrom(
            '',
            ' ',
            'null',
            '[]',
            '"x"',
            '0',
            'true',
            '{',
            '}',
            '{"a":',
            '\ufeff{}',
            'undefined',
            'NaN',
          ),
          fc
            .tuple(
              valid.map((v) => JSON.stringify(v)),
              fc.constantFrom('x', '}', ',', '\u0000'),
            )
            .map(([t, g]) => t + g),
          valid.map((v) => Buffer.from(JSON.stringify(v), 'utf16le')),
          fc.nat({ max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
          fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
        ),
      ),
    },
    // Large but under the gateway's payload limit: one long string property.
    {
      weight: 1,
      arbitrary: text(
        fc
          .tuple(valid, fc.integer({ min: 100_000, max: 2_000_000 }))
          .map(([v, n]) => JSON.stringify({ ...(v as object), name: 'x'.repeat(n) })),
      ),
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Paths, queries, methods, headers

/** A path segment as the client meant it (encoding is applied by `encodeSegment`). */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: hostileText({ minLength: 1, maxLength: 30 }) },
  {
    weight: 2,
    // Around DynamoDB's key limit, in ASCII and in 4-byte characters.
    arbitrary: fc.oneof(
      fc
        .integer({ min: DYNAMODB_KEY_LIMIT_BYTES - 2, max: DYNAMODB_KEY_LIMIT_BYTES + 2 })
        .map((n) => 'a'.repeat(n)),
      fc.integer({ min: 510, max: 514 }).map((n) => '😀'.repeat(n)),
      fc.integer({ min: 2049, max: 6000 }).map((n) => 'x'.repeat(n)),
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 195, max: 205 }).map((n) => 'u'.repeat(n)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '..',
      '.',
      '...',
      '~',
      ' ',
      '%',
      '😀',
      '\u0000',
      'a/b',
      'a\\b',
      'null',
      'undefined',
      '__proto__',
      'constructor',
      '-',
      '0',
    ),
  },
);

/** How the segment goes on the wire: encoded, raw, or with hand-made `%` sequences. */
export const encodeSegment = (segment: string, style: number): string => {
  switch (style % 4) {
    case 0:
      return encodeURIComponent(segment.replace(/[\ud800-\udfff]/g, '\ufffd'));
    case 1:
      // Raw percent sequences: invalid escapes, encoded slashes and dots, double encoding, bad UTF-8.
      return ['%', '%zz', '%2F', '%2f', '%252F', '%2e%2e', '%00', '%C0%AF', '%ED%A0%80', '%FF', '%u2215'][
        segment.length % 11
      ] as string;
    case 2:
      return `${encodeURIComponent(segment.slice(0, 8).replace(/[\ud800-\udfff]/g, '\ufffd'))}%2F..%2F${segment.length}`;
    default:
      // Whatever UTF-8 bytes the segment has, percent-encoded by hand (lone surrogates become EF BF BD).
      return [...Buffer.from(segment, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
};

const queryValue = fc.oneof(
  fc.constantFrom(
    '1',
    '0',
    '-1',
    '100',
    '101',
    '1e3',
    '0x10',
    '1.5',
    '',
    '99999999999999999999',
    'NaN',
    '%205',
    '+5',
    '%',
    '%zz',
  ),
  hostileSegment.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'))),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a).toString('base64url')),
  fc.constant('A'.repeat(3000)),
);

/** A query string (with `?`), mixing the parameters our routes read with junk. */
export const hostileQuery: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.constantFrom('limit', 'cursor', 'cursor', 'limit', 'x', '__proto__', '', 'limit[]'),
      queryValue,
    ),
    {
      maxLength: 3,
    },
  )
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`));

export const oddMethod = fc.constantFrom(
  'HEAD',
  'OPTIONS',
  'PUT',
  'PATCH',
  'DELETE',
  'POST',
  'GET',
  'PROPFIND',
  'MKCOL',
  'PURGE',
  'LINK',
  'SEARCH',
  'M-SEARCH',
  'QUERY',
);

/** Headers a client may add (the client sets Host and Content-Length itself). */
export const oddHeaders: fc.Arbitrary<Record<string, string>> = fc
  .array(
    fc.oneof(
      fc.tuple(
        fc.constantFrom('x-forwarded-for', 'x-amzn-trace-id', 'x-api-key', 'origin', 'cookie', 'accept'),
        fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
      ),
      fc.tuple(
        fc.constantFrom('accept-encoding', 'content-encoding'),
        fc.constantFrom('gzip', 'br', 'identity', 'x-unknown'),
      ),
      fc.tuple(fc.constant('expect'), fc.constant('100-continue')),
      fc.tuple(
        fc.constant('x-long'),
        fc.integer({ min: 1000, max: 8000 }).map((n) => 'v'.repeat(n)),
      ),
      fc.tuple(
        fc.constant('origin'),
        fc.constantFrom('http://localhost:5173', 'null', 'https://evil.example'),
      ),
      fc.tuple(fc.constant('access-control-request-method'), oddMethod),
      // Latin-1 bytes are legal in a header value; Node hands them over as such.
      fc.tuple(fc.constant('x-latin1'), fc.constantFrom('caf\u00e9', '\u00ff\u00fe')),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => Object.fromEntries(pairs));

// ---------------------------------------------------------------------------------------------
// Requests

/** The route's path with its `{param}` segments filled in, encoded in `style` (see encodeSegment). */
export function fillPath(route: RouteDefinition, segments: readonly string[], style: number): string {
  let i = 0;
  return route.path.replace(/\{[^}]+\}/g, () =>
    encodeSegment(segments[i++ % Math.max(segments.length, 1)] ?? 'x', style),
  );
}

export const paramNames = (route: RouteDefinition) =>
  [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);

/** A path id: one that exists (from `ids`) or a hostile one. */
export const pathId = (ids: readonly string[]) =>
  ids.length === 0
    ? hostileSegment
    : fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...ids) }, { weight: 3, arbitrary: hostileSegment });

/** The schema a route validates its body with, if any. */
export const schemaOf = (route: RouteDefinition): JsonSchema | undefined =>
  route.requestSchema ? requestSchemas[route.requestSchema] : undefined;
