import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors.js';
import { httpHandler, statusFor, toHttpRequest, toProxyResult } from './http.js';
import { createLogger } from './logger.js';

const logger = createLogger('test');
logger.setLogLevel('SILENT');

function event(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    resource: '/users/{id}',
    path: '/users/42',
    httpMethod: 'GET',
    headers: { 'Content-Type': 'application/json', 'X-Trace': 'a' },
    multiValueHeaders: {},
    queryStringParameters: { limit: '5' },
    multiValueQueryStringParameters: { limit: ['5'] },
    pathParameters: { id: '42' },
    stageVariables: null,
    requestContext: {
      requestId: 'req-1',
      authorizer: null,
    } as unknown as APIGatewayProxyEvent['requestContext'],
    body: null,
    isBase64Encoded: false,
    ...overrides,
  };
}

describe('statusFor', () => {
  it.each([
    [new ValidationError('x'), 400],
    [new ForbiddenError('x'), 403],
    [new NotFoundError('x'), 404],
    [new ConflictError('x'), 409],
    [new PayloadTooLargeError('x'), 413],
    [new UnsupportedMediaTypeError('x'), 415],
    [new Error('boom'), 500],
    ['a string', 500],
  ])('maps %o to %i', (error, status) => {
    expect(statusFor(error)).toBe(status);
  });

  it('names each error after its class', () => {
    expect(new NotFoundError('x').name).toBe('NotFoundError');
  });
});

describe('toHttpRequest', () => {
  it('reads headers in any case and exposes query and path parameters', () => {
    const req = toHttpRequest(event());
    expect(req.header('content-type')).toBe('application/json');
    expect(req.header('X-TRACE')).toBe('a');
    expect(req.header('origin')).toBeUndefined();
    expect(req.query).toEqual({ limit: '5' });
    expect(req.pathParam('id')).toBe('42');
    expect(req.requestId).toBe('req-1');
  });

  it('decodes base64 bodies the gateway marked binary', () => {
    const req = toHttpRequest(
      event({ body: Buffer.from([0xff, 0xd8, 0xff]).toString('base64'), isBase64Encoded: true }),
    );
    expect([...req.body]).toEqual([0xff, 0xd8, 0xff]);
  });

  it.each([
    ['an empty body', null, 'body is empty'],
    ['malformed JSON', '{"name":', 'body is not valid JSON'],
  ])('rejects %s with a ValidationError', (_case, body, detail) => {
    const req = toHttpRequest(event({ body }));
    expect(() => req.json()).toThrow(ValidationError);
    try {
      req.json();
    } catch (error) {
      expect((error as ValidationError).details).toEqual([detail]);
    }
  });

  it('reads the caller from the authorizer context', () => {
    const req = toHttpRequest(
      event({
        requestContext: {
          requestId: 'r',
          authorizer: { principalId: 'user-1', sub: 'user-1', scope: 'users:write' },
        } as unknown as APIGatewayProxyEvent['requestContext'],
      }),
    );
    expect(req.caller).toEqual({ sub: 'user-1', scope: 'users:write' });
  });

  it('has no caller when no authorizer ran', () => {
    expect(toHttpRequest(event()).caller).toBeUndefined();
  });
});

describe('toProxyResult', () => {
  it('serialises JSON bodies with a content type', () => {
    expect(toProxyResult({ statusCode: 200, body: { a: 1 } })).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
  });

  it('sends buffers as base64 binary', () => {
    const result = toProxyResult({
      statusCode: 200,
      body: Buffer.from('hi'),
      headers: { 'content-type': 'image/png' },
    });
    expect(result).toMatchObject({
      body: 'aGk=',
      isBase64Encoded: true,
      headers: { 'content-type': 'image/png' },
    });
  });

  it('sends an empty body for 204', () => {
    expect(toProxyResult({ statusCode: 204 }).body).toBe('');
  });
});

describe('httpHandler', () => {
  it('maps a domain error to its status with the message and details', async () => {
    const handler = httpHandler(logger, async () => {
      throw new ValidationError('Invalid request body', ['age must be >= 18']);
    });
    const result = await handler(event());
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body)).toEqual({
      message: 'Invalid request body',
      errors: ['age must be >= 18'],
    });
  });

  it('hides the detail of an unexpected error behind a generic 500', async () => {
    const handler = httpHandler(logger, async () => {
      throw new Error('connection string postgres://secret@db');
    });
    const result = await handler(event());
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body)).toEqual({ message: 'Internal server error' });
  });

  it("answers DynamoDB's ValidationException with the generic 500 and logs DynamoDB's message", async () => {
    // What the SDK throws when DynamoDB refuses a request (here: a key over its size limit).
    const refused = new DynamoDBServiceException({
      name: 'ValidationException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message:
        'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
    });
    const log = createLogger('test');
    log.setLogLevel('SILENT');
    const logged = vi.spyOn(log, 'error');
    const handler = httpHandler(log, async () => {
      throw refused;
    });
    const result = await handler(event());
    expect(statusFor(refused)).toBe(500);
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body)).toEqual({ message: 'Internal server error' });
    expect(logged).toHaveBeenCalledWith('unhandled error', refused);
  });
});
