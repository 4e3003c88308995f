/**
 * JSON Schema draft-04 validation with ajv, compiled once per schema. The same schemas are
 * API Gateway's models, so a body that passes here passes at the gateway and vice versa.
 *
 * @example
 * const validateCreate = compileValidator<UserInput>(createUserSchema);
 * const input = validateCreate(body); // throws ValidationError listing every violation
 */
import type { Ajv, ValidateFunction } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import { ValidationError } from './errors.js';
import type { JsonSchema } from './schemas.js';

// `strict: false` turns off ajv's schema lint (API Gateway's models are plain draft-04), but it
// would also turn off `strictNumbers`: a body such as `{"age":1e309}` parses to Infinity in JS,
// and without it Infinity counts as an integer. API Gateway reads JSON numbers, never Infinity,
// so a JS value that is not a finite number is not a number here either.
let ajv: Ajv | undefined;
const sharedAjv = (): Ajv =>
  (ajv ??= new (AjvDraft04 as unknown as typeof Ajv)({
    allErrors: true,
    strict: false,
    strictNumbers: true,
  }));

export type Validator<T> = (value: unknown) => T;

/**
 * Compiles on the first validation, not here: handlers build their use cases at import, and a
 * function that never validates a body (GET /users/{id} shares a module with POST /users)
 * should not pay ajv's code generation in its cold start.
 */
export function compileValidator<T>(schema: JsonSchema): Validator<T> {
  let validate: ValidateFunction | undefined;
  return (value: unknown): T => {
    validate ??= sharedAjv().compile(schema);
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
