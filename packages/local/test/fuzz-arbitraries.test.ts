/**
 * The fuzz suite's schema generator against the validator the gateway and handlers use: a
 * "valid" value that the schema refuses would turn the valid-bodies property into noise.
 */
import { requestSchemas } from '@snapstack/domain/schemas';
import { compileValidator } from '@snapstack/domain/validation';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DYNAMODB_KEY_LIMIT_BYTES, encodeSegment, hostileSegment, validValue } from './fuzz/arbitraries.js';

describe('validValue', () => {
  it.each(Object.entries(requestSchemas))('makes values the %s schema accepts', (_name, schema) => {
    const validate = compileValidator(schema);
    fc.assert(
      fc.property(validValue(schema, { image_id: ['known-image'] }), (value) => {
        expect(() => validate(value)).not.toThrow();
      }),
      { seed: 1207, numRuns: 300 },
    );
  });
});

describe('hostileSegment', () => {
  it('reaches past the DynamoDB key limit, in ASCII and in 4-byte characters', () => {
    const samples = fc.sample(hostileSegment, { seed: 1207, numRuns: 500 });
    const bytes = samples.map((s) => Buffer.byteLength(s));
    expect(bytes.some((n) => n > DYNAMODB_KEY_LIMIT_BYTES)).toBe(true);
    expect(
      samples.some(
        (s) => /\p{Extended_Pictographic}/u.test(s) && Buffer.byteLength(s) > DYNAMODB_KEY_LIMIT_BYTES,
      ),
    ).toBe(true);
  });

  it('encodes into a path segment: no raw slash, space or non-ASCII character', () => {
    fc.assert(
      fc.property(hostileSegment, fc.nat({ max: 3 }), (segment, style) => {
        expect(encodeSegment(segment, style)).toMatch(/^[\x21-\x2e\x30-\x7e]+$/);
      }),
      { seed: 1207, numRuns: 500 },
    );
  });
});
