import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';

const valid = {
  apiUrl: 'https://api.example/prod/',
  oidc: {
    issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
    clientId: 'client',
    redirectUri: 'https://app.example/',
    scopes: ['openid', 'snapstack/images:read'],
  },
};

describe('parseConfig', () => {
  it('reads a stage’s config, dropping the API URL’s trailing slash and keeping the redirect URI exact', () => {
    const config = parseConfig(valid);
    expect(config.apiUrl).toBe('https://api.example/prod');
    expect(config.oidc.redirectUri).toBe('https://app.example/');
    expect(config.oidc.scopes).toEqual(['openid', 'snapstack/images:read']);
    expect(config.apiKey).toBeUndefined();
  });

  it.each([
    [{ ...valid, oidc: undefined }, /Sign-in is not configured/],
    [{ ...valid, apiUrl: 'ftp://x' }, /apiUrl is not an http\(s\) URL/],
    [{ ...valid, oidc: { ...valid.oidc, clientId: '' } }, /oidc.clientId is missing/],
    [{ ...valid, oidc: { ...valid.oidc, scopes: 'openid' } }, /oidc.scopes must be a list/],
    [{ oidc: valid.oidc }, /apiUrl is missing/],
    ['x', /not a JSON object/],
  ])('refuses %j with a message naming what is wrong', (raw, message) => {
    expect(() => parseConfig(raw)).toThrow(ConfigError);
    expect(() => parseConfig(raw)).toThrow(message);
  });
});
