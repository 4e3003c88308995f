/**
 * Each function's environment is its own object: the runner never writes `process.env`, two
 * functions built from the same shared code each read their own settings, and every function
 * gets at least what infra deploys it with (`functionEnvironment`, the one derivation).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apiSettings } from '@snapstack/domain/api-settings';
import { buckets } from '@snapstack/domain/buckets';
import { functionEnvironment } from '@snapstack/domain/function-environment';
import { type FunctionId, functions } from '@snapstack/domain/functions';
import { queues } from '@snapstack/domain/queues';
import { tables } from '@snapstack/domain/tables';
import { afterAll, describe, expect, it } from 'vitest';
import { localEnvironment } from '../src/lambda/environment.js';
import { FunctionHost } from '../src/lambda/function-host.js';
import { startTestRunner } from '../src/testing.js';

const dir = mkdtempSync(path.join(tmpdir(), 'snapstack-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('function environments', () => {
  it('leaves process.env as it found it, while running and after stopping', async () => {
    const untouched = { ...process.env };
    const first = await startTestRunner();
    try {
      // No function's variable (tables, endpoints, credentials, secrets) reaches process.env.
      const keys = new Set(
        Object.keys(functions).flatMap((id) => Object.keys(first.environment(id as FunctionId))),
      );
      expect(keys.size).toBeGreaterThan(10);
      for (const key of keys) expect(process.env[key], key).toBe(untouched[key]);
    } finally {
      await first.close();
    }
    // Third-party modules set a few variables once, when first imported (Powertools its SDK user
    // agent, sharp VIPSHOME); past that first runner, nothing changes at all.
    const before = { ...process.env };
    const runner = await startTestRunner();
    try {
      expect({ ...process.env }).toEqual(before);
      // The handlers still find their settings: a write reaches the emulator through them.
      const created = await runner.request('POST', '/users', {
        json: { name: 'Env', age: 30, email: 'env@example.com' },
      });
      expect(created.status).toBe(201);
    } finally {
      await runner.close();
    }
    expect({ ...process.env }).toEqual(before);
  }, 60_000);

  it('gives each function its own environment, even in code the functions share', async () => {
    // Like the domain layer: one module, bundled into both functions, that reads process.env.
    writeFileSync(
      path.join(dir, 'shared.mjs'),
      `export const settings = () => ({ service: process.env.POWERTOOLS_SERVICE_NAME, table: process.env.USERS_TABLE ?? null });`,
    );
    for (const name of ['a', 'b'])
      writeFileSync(
        path.join(dir, `${name}.mjs`),
        `import { settings } from './shared.mjs'; export const handler = async () => settings();`,
      );
    const host = new FunctionHost([
      {
        id: 'a',
        packageDir: dir,
        entry: path.join(dir, 'a.mjs'),
        environment: { POWERTOOLS_SERVICE_NAME: 'users', USERS_TABLE: 'snapstack-test-users' },
      },
      {
        id: 'b',
        packageDir: dir,
        entry: path.join(dir, 'b.mjs'),
        environment: { POWERTOOLS_SERVICE_NAME: 'thumbnailer' },
      },
    ]);
    try {
      expect(await (await host.handler('a'))({}, {})).toEqual({
        service: 'users',
        table: 'snapstack-test-users',
      });
      expect(await (await host.handler('b'))({}, {})).toEqual({ service: 'thumbnailer', table: null });
    } finally {
      host.close();
    }
    expect(process.env.POWERTOOLS_SERVICE_NAME).toBeUndefined();
  });

  it('gives every function each variable infra deploys it with, plus the local endpoints', async () => {
    const runner = await startTestRunner({ stage: 'envcheck' });
    try {
      const names = {
        tables: runner.names.tables,
        buckets: runner.names.buckets,
        queueUrls: runner.queueUrls,
        userPool: {
          issuer: runner.oidc.issuer,
          jwksUrl: runner.oidc.jwksUrl,
          clientId: runner.oidc.clientId,
        },
      };
      for (const id of Object.keys(functions) as FunctionId[]) {
        const local = runner.environment(id);
        expect(local, id).toMatchObject(functionEnvironment(id, 'envcheck', names));
        expect(local.AWS_ENDPOINT_URL_DYNAMODB, id).toBe(runner.endpoints.dynamodb);
        expect(local.POWERTOOLS_SERVICE_NAME, id).toBe(functions[id].package);
      }
      // The dev JWT secret only where AWS would read it from SSM: the authorizer.
      const withSecret = (Object.keys(functions) as FunctionId[]).filter(
        (id) => runner.environment(id).AUTH_JWT_SECRET,
      );
      expect(withSecret).toEqual([apiSettings.authorizer.function]);
    } finally {
      await runner.close();
    }
  }, 60_000);

  it('passes the settings the runner was started with, beneath what the runner derives', () => {
    const named = (ids: object) => Object.fromEntries(Object.keys(ids).map((id) => [id, `t-${id}`]));
    const names = {
      tables: named(tables),
      buckets: named(buckets),
      queueUrls: named(queues),
    } as Parameters<typeof functionEnvironment>[2];
    const env = localEnvironment('thumbnailer', {
      inherited: { THUMBNAIL_SIZES: '64,256', POWERTOOLS_SERVICE_NAME: 'from-the-shell', UNSET: undefined },
      stage: 't',
      names,
      endpoints: { dynamodb: 'http://d', sqs: 'http://q', s3: 'http://s', lambda: 'http://l' },
      jwtSecret: 'dev-secret',
      logLevel: 'WARN',
    });
    expect(env.THUMBNAIL_SIZES).toBe('64,256');
    expect(env.POWERTOOLS_SERVICE_NAME).toBe(functions.thumbnailer.package);
    expect('UNSET' in env).toBe(false);
  });
});
