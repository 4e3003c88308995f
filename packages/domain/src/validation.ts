/**
 * JSON Schema draft-04 validation with ajv, compiled once per schema. The same schemas are
 * API Gateway's models, so a body that passes here passes at the gateway and vice versa.
 *
 * @example
 * const validateCreate = compileValidator<UserInput>(createUserSchema);
 * const input = validateCreate(body); // throws ValidationError listing every violation
 */
import { Ajv } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import { ValidationError } from './errors.js';
import type { JsonSchema } from './schemas.js';

const ajv: Ajv = new (AjvDraft04 as unknown as typeof Ajv)({ allErrors: true, strict: false });

export type Validator<T> = (value: unknown) => T;

export function compileValidator<T>(schema: JsonSchema): Validator<T> {
  const validate = ajv.compile(schema);
  return (value: unknown): T => {
    if (validate(value)) return value as T;
    const details = (validate.errors ?? []).map((e) => {
      const where = e.instancePath ? e.instancePath.slice(1).replaceAll('/', '.') : 'body';
      if (e.keyword === 'additionalProperties') {
        return `${where} has unknown property "${(e.params as { additionalProperty: string }).additionalProperty}"`;
      }
      return `${where} ${e.message ?? 'is invalid'}`;
    });
    throw new ValidationError('Invalid request body', details);
  };
}
