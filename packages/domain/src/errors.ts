/**
 * Domain errors. Use cases throw these; only the HTTP adapter (`./http`) turns them into
 * status codes, with `instanceof`. Every error forwards `{ cause }` so logs keep the chain.
 *
 * @example
 * throw new NotFoundError(`user ${id} not found`);
 */
export class DomainError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request is well-formed JSON but breaks a rule (schema, parameter range, cursor). */
export class ValidationError extends DomainError {
  constructor(
    message: string,
    readonly details: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The addressed entity does not exist. */
export class NotFoundError extends DomainError {}

/** The write conflicts with what is stored (an id that already exists, a stale state). */
export class ConflictError extends DomainError {}

/** The request body is larger than this path accepts. */
export class PayloadTooLargeError extends DomainError {}

/** The request body is not of a media type this path accepts. */
export class UnsupportedMediaTypeError extends DomainError {}

/** The caller is authenticated but not allowed to do this. */
export class ForbiddenError extends DomainError {}

/**
 * The input is not a usable image (not an image, truncated, too many pixels). Permanent:
 * retrying cannot help, so the thumbnailer records it instead of throwing.
 */
export class InvalidImageError extends DomainError {}
