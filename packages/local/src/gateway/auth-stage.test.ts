/**
 * The auth stage's answers to what an authorizer function does (allow, `Unauthorized`, throw,
 * malformed result, hang), with stand-in authorizers run through the runner's one invoke.
 */
import { apiSettings } from '@snapstack/domain/api-settings';
import type { RouteDefinition } from '@snapstack/domain/routes';
import { describe, expect, it } from 'vitest';
import { createInvoke, type LambdaHandler } from '../lambda/invoke.js';
import { createAuthStage } from './auth-stage.js';
import type { IncomingRequest } from './proxy-event.js';

const route: RouteDefinition = {
  method: 'POST',
  path: '/users/{id}/likes',
  auth: { kind: 'jwt' },
  integration: { kind: 'lambda', function: 'getUser' },
} as RouteDefinition;

const request: IncomingRequest = {
  method: 'POST',
  url: new URL('http://127.0.0.1/users/u1/likes'),
  rawHeaders: ['Authorization', 'Bearer t'],
  body: Buffer.alloc(0),
  sourceIp: '127.0.0.1',
  requestId: 'req-1',
  receivedAt: new Date(),
};

/** An auth stage whose authorizer is `authorizer`, with a 50 ms timeout in its catalog entry. */
function stageWith(authorizer: LambdaHandler) {
  const errors: string[] = [];
  const stage = createAuthStage({
    stage: 'test',
    invoke: createInvoke({
      host: { handler: async () => authorizer },
      functions: { [apiSettings.authorizer.function]: { memoryMb: 128, timeoutSeconds: 0.05 } },
      functionName: (id) => id,
    }),
    apiKeys: [],
    resultTtlSeconds: 0,
    logError: (message) => errors.push(message),
  });
  const answer = async () => {
    const admission = await stage.authenticate(route, request, { id: 'u1' });
    if (!('deny' in admission)) return { admitted: admission.authorizer };
    const { statusCode, body } = admission.deny;
    return { statusCode, body: JSON.parse(body.toString()) };
  };
  return { answer, errors };
}

const allowAll = (arn: string) => ({
  principalId: 'alice',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: arn }],
  },
  context: { scope: 'users:write' },
});

describe('the auth stage and its authorizer function', () => {
  it('admits with the authorizer context when the policy allows the method ARN', async () => {
    const { answer } = stageWith(async (event) => allowAll((event as { methodArn: string }).methodArn));
    expect(await answer()).toMatchObject({ admitted: { principalId: 'alice', scope: 'users:write' } });
  });

  it('answers 401 when the authorizer throws Unauthorized', async () => {
    const { answer } = stageWith(async () => {
      throw new Error('Unauthorized');
    });
    expect(await answer()).toEqual({ statusCode: 401, body: { message: 'Unauthorized' } });
  });

  it('answers 500 {"message": null} when the authorizer fails or answers a malformed result', async () => {
    const failing = stageWith(async () => {
      throw new TypeError('cannot read the key');
    });
    expect(await failing.answer()).toEqual({ statusCode: 500, body: { message: null } });
    const malformed = stageWith(async () => ({ principalId: 42 }));
    expect(await malformed.answer()).toEqual({ statusCode: 500, body: { message: null } });
  });

  it('answers 500 {"message": null} when the authorizer outlives its timeout, instead of hanging', async () => {
    const { answer, errors } = stageWith(() => new Promise(() => undefined));
    expect(await answer()).toEqual({ statusCode: 500, body: { message: null } });
    expect(errors).toEqual(['authorizer failed']);
  });
});
