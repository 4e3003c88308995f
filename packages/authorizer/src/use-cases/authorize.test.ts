import { routes } from '@snapstack/domain/routes';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { InvalidTokenError } from '../errors.js';
import { makeAuthorize } from './authorize.js';

const methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/POST/users';
const event = (headers: Record<string, string>) =>
  ({ type: 'REQUEST', methodArn, headers }) as unknown as APIGatewayRequestAuthorizerEvent;

describe('makeAuthorize', () => {
  it('passes the Authorization header (any case) to the verifier and answers with a flat context', async () => {
    const seen: Array<string | undefined> = [];
    const authorize = makeAuthorize(async (header) => {
      seen.push(header);
      return { sub: 'alice', scopes: ['users:write', 'images:write'], email: 'a@example.com' };
    }, routes);
    const result = await authorize(event({ AUTHORIZATION: 'Bearer t' }));
    expect(seen).toEqual(['Bearer t']);
    expect(result.principalId).toBe('alice');
    expect(result.context).toEqual({
      sub: 'alice',
      scope: 'users:write images:write',
      email: 'a@example.com',
    });
    for (const value of Object.values(result.context ?? {}))
      expect(['string', 'number', 'boolean']).toContain(typeof value);
  });

  it('lets a verification failure through for the handler to turn into 401', async () => {
    const authorize = makeAuthorize(async () => {
      throw new InvalidTokenError('nope');
    }, routes);
    await expect(authorize(event({}))).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
