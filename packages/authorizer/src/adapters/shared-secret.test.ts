/**
 * The SSM adapter against an HTTP endpoint speaking SSM's JSON protocol (no SSM emulator is on
 * npm): the real SDK client and Powertools Parameters make the calls, so caching and decryption
 * flags are what production sends.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ssmSecret, staticSecret } from './shared-secret.js';

const SECRET = 's'.repeat(40);
const calls: Array<{ target: string; body: { Name?: string; WithDecryption?: boolean } }> = [];
let server: Server;
let client: SSMClient;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const body = JSON.parse(raw || '{}');
      calls.push({ target: String(req.headers['x-amz-target']), body });
      const value =
        body.Name === '/snapstack/test/auth/jwt-secret'
          ? SECRET
          : body.Name === '/short'
            ? 'short'
            : undefined;
      if (value === undefined) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'ParameterNotFound', message: 'not found' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({ Parameter: { Name: body.Name, Type: 'SecureString', Value: value, Version: 1 } }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new SSMClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterAll(async () => {
  client?.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const header = { alg: 'HS256' };

describe('ssmSecret', () => {
  it('reads the SecureString with decryption once, then serves it from the cache', async () => {
    calls.length = 0;
    const resolve = ssmSecret('/snapstack/test/auth/jwt-secret', { client, maxAgeSeconds: 300 });
    for (let i = 0; i < 3; i += 1) {
      await expect(resolve(header, {} as never)).resolves.toEqual(new TextEncoder().encode(SECRET));
    }
    expect(calls).toEqual([
      {
        target: 'AmazonSSM.GetParameter',
        body: { Name: '/snapstack/test/auth/jwt-secret', WithDecryption: true },
      },
    ]);
  });

  it('rejects a missing parameter and a secret too short for HS256', async () => {
    await expect(ssmSecret('/missing', { client })(header, {} as never)).rejects.toThrow();
    await expect(ssmSecret('/short', { client })(header, {} as never)).rejects.toThrow(/at least 32 bytes/);
  });
});

describe('staticSecret', () => {
  it('refuses a secret shorter than 32 bytes up front', () => {
    expect(() => staticSecret('too-short')).toThrow(/at least 32 bytes/);
  });
});
