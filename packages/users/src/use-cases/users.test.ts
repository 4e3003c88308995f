import { ConflictError, NotFoundError, ValidationError } from '@snapstack/domain/errors';
import type { Page, User, UserPatch } from '@snapstack/domain/user';
import { describe, expect, it } from 'vitest';
import type { UserRepository } from '../ports.js';
import { makeCreateUser, makeDeleteUser, makeGetUser, makeListUsers, makePatchUser } from './users.js';

/** An in-memory repository honouring the port's contract (conflict on create, not-found on update/delete). */
class MemoryUserRepository implements UserRepository {
  readonly users = new Map<string, User>();
  async create(user: User) {
    if (this.users.has(user.id)) throw new ConflictError('exists');
    this.users.set(user.id, user);
  }
  async get(id: string) {
    return this.users.get(id);
  }
  async list({ limit }: { limit: number }): Promise<Page<User>> {
    return { items: [...this.users.values()].slice(0, limit) };
  }
  async update(id: string, patch: UserPatch, updatedAt: string) {
    const user = this.users.get(id);
    if (!user) throw new NotFoundError('missing');
    const next = { ...user, ...patch, updatedAt };
    this.users.set(id, next);
    return next;
  }
  async delete(id: string) {
    if (!this.users.delete(id)) throw new NotFoundError('missing');
  }
  async setLikes(id: string, likes: number) {
    const user = this.users.get(id);
    if (!user) throw new NotFoundError('missing');
    this.users.set(id, { ...user, likes });
  }
}

const clock = { now: () => new Date('2026-01-02T03:04:05.000Z') };
const input = { name: 'Ada', age: 36, email: 'ada@example.com' };

describe('createUser', () => {
  it('makes the id, createdAt and a zero like count, and records the creator', async () => {
    const repo = new MemoryUserRepository();
    const user = await makeCreateUser(repo, clock, () => 'id-1')(input, 'caller-7');
    expect(user).toEqual({
      id: 'id-1',
      ...input,
      likes: 0,
      createdAt: '2026-01-02T03:04:05.000Z',
      createdBy: 'caller-7',
    });
    expect(repo.users.get('id-1')).toEqual(user);
  });

  it('refuses an invalid body without writing', async () => {
    const repo = new MemoryUserRepository();
    await expect(makeCreateUser(repo, clock, () => 'id-1')({ ...input, age: 17 })).rejects.toThrow(
      ValidationError,
    );
    expect(repo.users.size).toBe(0);
  });

  it('never overwrites an existing id', async () => {
    const repo = new MemoryUserRepository();
    const create = makeCreateUser(repo, clock, () => 'same-id');
    const first = await create(input);
    await expect(create({ ...input, name: 'Mallory' })).rejects.toThrow(ConflictError);
    expect(repo.users.get('same-id')).toEqual(first);
  });
});

describe('getUser', () => {
  it('throws NotFoundError for an unknown id', async () => {
    await expect(makeGetUser(new MemoryUserRepository())('nope')).rejects.toThrow(NotFoundError);
  });
});

describe('patchUser', () => {
  it('changes only the given fields and stamps updatedAt', async () => {
    const repo = new MemoryUserRepository();
    await makeCreateUser(repo, clock, () => 'id-1')(input);
    const later = { now: () => new Date('2026-02-01T00:00:00.000Z') };
    const user = await makePatchUser(repo, later)('id-1', { age: 40 });
    expect(user).toMatchObject({ ...input, age: 40, updatedAt: '2026-02-01T00:00:00.000Z' });
  });

  it('validates before touching storage', async () => {
    const repo = new MemoryUserRepository();
    await expect(makePatchUser(repo, clock)('id-1', { likes: 3 })).rejects.toThrow(ValidationError);
  });
});

describe('deleteUser', () => {
  it('propagates NotFoundError', async () => {
    await expect(makeDeleteUser(new MemoryUserRepository())('nope')).rejects.toThrow(NotFoundError);
  });
});

describe('listUsers', () => {
  it('passes the page size and cursor through', async () => {
    const repo = new MemoryUserRepository();
    const seen: unknown[] = [];
    repo.list = async (options) => {
      seen.push(options);
      return { items: [] };
    };
    await makeListUsers(repo)({ limit: '7', cursor: 'abc' });
    expect(seen).toEqual([{ limit: 7, cursor: 'abc' }]);
  });
});
