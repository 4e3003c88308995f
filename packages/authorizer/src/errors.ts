import { DomainError } from '@snapstack/domain/errors';

/**
 * The bearer token is missing, malformed, or fails verification. The handler turns it into the
 * `Unauthorized` error that makes API Gateway answer 401 (and cache nothing).
 */
export class InvalidTokenError extends DomainError {}
