import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { CREDENTIALS_FILE, loadDevCredentials, signDevToken } from './credentials.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadDevCredentials', () => {
  it('creates credentials once per data directory and reads the same ones back', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'snapstack-auth-'));
    dirs.push(dir);
    const first = loadDevCredentials(path.join(dir, 'data'));
    expect(loadDevCredentials(path.join(dir, 'data'))).toEqual(first);
    expect(statSync(path.join(dir, 'data', CREDENTIALS_FILE)).mode & 0o777).toBe(0o600);
    expect(Buffer.from(first.jwtSecret, 'base64url').length).toBe(32);
  });

  it('keeps credentials in memory, different per runner, without a data directory', () => {
    expect(loadDevCredentials(undefined)).not.toEqual(loadDevCredentials(undefined));
  });
});

describe('signDevToken', () => {
  it('signs an HS256 token with the issuer, audience and claims asked for', async () => {
    const { jwtSecret } = loadDevCredentials(undefined);
    const token = await signDevToken(jwtSecret, { sub: 'ada', scope: 'users:write', expiresIn: 60 });
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(jwtSecret), {
      issuer: 'snapstack',
      audience: 'snapstack-api',
    });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: 'ada', scope: 'users:write' });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(60);
    expect(decodeJwt(await signDevToken(jwtSecret, { expiresIn: '2h' })).sub).toBe('dev-user');
  });
});
