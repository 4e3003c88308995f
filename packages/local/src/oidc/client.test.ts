import { describe, expect, it } from 'vitest';
import { isRedirectOrigin, localClientRedirectUris } from './client.js';

describe('isRedirectOrigin (CORS at the token endpoint)', () => {
  const uris = localClientRedirectUris();

  it('admits the web app dev server and any port of the loopback address', () => {
    expect(isRedirectOrigin('http://localhost:5173', uris)).toBe(true);
    expect(isRedirectOrigin('http://127.0.0.1:41234', uris)).toBe(true);
    expect(isRedirectOrigin('http://127.0.0.1', uris)).toBe(true);
  });

  it('refuses other hosts, schemes, ports of a fixed origin, and garbage', () => {
    expect(isRedirectOrigin('http://localhost:5174', uris)).toBe(false);
    expect(isRedirectOrigin('https://127.0.0.1:41234', uris)).toBe(false);
    expect(isRedirectOrigin('http://127.0.0.2:41234', uris)).toBe(false);
    expect(isRedirectOrigin('http://evil.example', uris)).toBe(false);
    expect(isRedirectOrigin('null', uris)).toBe(false);
    expect(isRedirectOrigin('http://127.0.0.1:8080/path', uris)).toBe(false);
  });
});
