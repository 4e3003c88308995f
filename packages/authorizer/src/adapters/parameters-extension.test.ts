/**
 * The extension path against a local HTTP server playing the Parameters and Secrets Lambda
 * Extension (the extension runs only inside Lambda): its path, query and token header, its
 * GetParameter-shaped answer, and its refusals.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXTENSION_PARAMETER_PATH,
  EXTENSION_PORT_ENV,
  extensionEndpoint,
  readParameter,
} from './parameters-extension.js';
import { ssmSecret } from './shared-secret.js';

const SECRET = 'e'.repeat(40);
const TOKEN = 'session-token-of-the-function';
const NAME = '/snapstack/test/auth/jwt-secret';
const calls: Array<{ path: string; name: string | null; decrypt: string | null; token: unknown }> = [];
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const call = {
      path: url.pathname,
      name: url.searchParams.get('name'),
      decrypt: url.searchParams.get('withDecryption'),
      token: req.headers['x-aws-parameters-secrets-token'],
    };
    calls.push(call);
    if (call.token !== TOKEN) {
      res.writeHead(401).end('unauthorized');
    } else if (call.path !== EXTENSION_PARAMETER_PATH || call.name !== NAME) {
      res.writeHead(400).end(JSON.stringify({ __type: 'ParameterNotFound', message: 'not found' }));
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Parameter: { Name: NAME, Type: 'SecureString', Value: SECRET, Version: 3 } }));
    }
  });
  // `localhost`, as the adapter calls it: the server binds whichever address that resolves to.
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const extensionEnv = (extra: Record<string, string> = {}) => ({
  [EXTENSION_PORT_ENV]: String(port),
  AWS_SESSION_TOKEN: TOKEN,
  ...extra,
});

describe('extensionEndpoint', () => {
  it('is absent without the port variable, so the SDK path is taken', () => {
    expect(extensionEndpoint({ AWS_SESSION_TOKEN: TOKEN })).toBeUndefined();
  });

  it.each([['0'], ['70000'], ['abc']])('refuses the port %s', (value) => {
    expect(() => extensionEndpoint({ [EXTENSION_PORT_ENV]: value, AWS_SESSION_TOKEN: TOKEN })).toThrow(
      /must be a TCP port/,
    );
  });

  it('refuses a port without the session token the extension authenticates with', () => {
    expect(() => extensionEndpoint({ [EXTENSION_PORT_ENV]: '2773' })).toThrow(/AWS_SESSION_TOKEN/);
  });
});

describe('readParameter', () => {
  it('asks for the decrypted value with the session token and returns it', async () => {
    calls.length = 0;
    await expect(readParameter(NAME, extensionEndpoint(extensionEnv())!)).resolves.toBe(SECRET);
    expect(calls).toEqual([{ path: EXTENSION_PARAMETER_PATH, name: NAME, decrypt: 'true', token: TOKEN }]);
  });

  it('names the status when the extension refuses', async () => {
    const endpoint = extensionEndpoint(extensionEnv({ AWS_SESSION_TOKEN: 'stale' }))!;
    await expect(readParameter(NAME, endpoint)).rejects.toThrow(/answered 401/);
    await expect(readParameter('/missing', extensionEndpoint(extensionEnv())!)).rejects.toThrow(
      /answered 400 for \/missing/,
    );
  });
});

describe('ssmSecret through the extension', () => {
  it('takes the extension when it is attached and reads once per max age', async () => {
    calls.length = 0;
    const resolve = ssmSecret(NAME, { env: extensionEnv(), maxAgeSeconds: 300 });
    for (let i = 0; i < 3; i += 1) {
      await expect(resolve({ alg: 'HS256' }, {} as never)).resolves.toEqual(new TextEncoder().encode(SECRET));
    }
    expect(calls).toHaveLength(1);
  });

  it('reads again once the max age has passed', async () => {
    calls.length = 0;
    const resolve = ssmSecret(NAME, { env: extensionEnv(), maxAgeSeconds: 0 });
    await resolve({ alg: 'HS256' }, {} as never);
    await resolve({ alg: 'HS256' }, {} as never);
    expect(calls).toHaveLength(2);
  });
});
