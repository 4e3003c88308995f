/**
 * Users use cases: pure functions over the repository port. Validation of request shapes
 * happens here too (the gateway validated already; a direct invoke must not bypass it).
 */
import { NotFoundError } from '@snapstack/domain/errors';
import { parsePageSize } from '@snapstack/domain/paging';
import { createUserSchema, patchUserSchema } from '@snapstack/domain/schemas';
import type { Page, User, UserInput, UserPatch } from '@snapstack/domain/user';
import { compileValidator } from '@snapstack/domain/validation';
import type { Clock, IdGenerator, UserRepository } from '../ports.js';

const validateCreate = compileValidator<UserInput>(createUserSchema);
const validatePatch = compileValidator<UserPatch>(patchUserSchema);

export function makeCreateUser(repo: UserRepository, clock: Clock, newId: IdGenerator) {
  return async (body: unknown, createdBy?: string): Promise<User> => {
    const input = validateCreate(body);
    const user: User = {
      id: newId(),
      name: input.name,
      age: input.age,
      email: input.email,
      likes: 0,
      createdAt: clock.now().toISOString(),
      ...(createdBy ? { createdBy } : {}),
    };
    await repo.create(user);
    return user;
  };
}

export function makeGetUser(repo: UserRepository) {
  return async (id: string): Promise<User> => {
    const user = await repo.get(id);
    if (!user) throw new NotFoundError(`user ${id} not found`);
    return user;
  };
}

export function makeListUsers(repo: UserRepository) {
  return async (query: { limit?: string; cursor?: string }): Promise<Page<User>> =>
    repo.list({
      limit: parsePageSize(query.limit),
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    });
}

export function makePatchUser(repo: UserRepository, clock: Clock) {
  return async (id: string, body: unknown): Promise<User> =>
    repo.update(id, validatePatch(body), clock.now().toISOString());
}

export function makeDeleteUser(repo: UserRepository) {
  return async (id: string): Promise<void> => repo.delete(id);
}
