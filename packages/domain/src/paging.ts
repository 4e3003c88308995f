/**
 * Page sizes of the API's paginated lists (`GET /users`, `GET /images`): one rule for `?limit=`,
 * so every list refuses the same values with the same message.
 */
import { ValidationError } from './errors.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `?limit=`: an integer from 1 to MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE when absent. */
export function parsePageSize(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ValidationError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return limit;
}
