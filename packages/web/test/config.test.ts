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
    expect(config.oidc.signOutUrl).toBeUndefined();
  });

  it('reads a sign-out URL kept exactly as written, and takes a null one as none', () => {
    const signOutUrl =
      'https://login.example/logout?client_id=client&logout_uri=https%3A%2F%2Fapp.example%2F';
    expect(parseConfig({ ...valid, oidc: { ...valid.oidc, signOutUrl } }).oidc.signOutUrl).toBe(signOutUrl);
    expect(parseConfig({ ...valid, oidc: { ...valid.oidc, signOutUrl: null } }).oidc).not.toHaveProperty(
      'signOutUrl',
    );
  });

  it('ignores a usage-plan key an old config.json still carries: the app never sends one', () => {
    expect(parseConfig({ ...valid, apiKey: 'k' })).not.toHaveProperty('apiKey');
  });

  it.each([
    [{ ...valid, oidc: undefined }, /Sign-in is not configured/],
    [{ ...valid, apiUrl: 'ftp://x' }, /apiUrl is not an http\(s\) URL/],
    [{ ...valid, oidc: { ...valid.oidc, clientId: '' } }, /oidc.clientId is missing/],
    [{ ...valid, oidc: { ...valid.oidc, scopes: 'openid' } }, /oidc.scopes must be a list/],
    [{ oidc: valid.oidc }, /apiUrl is missing/],
    [{ ...valid, oidc: { ...valid.oidc, signOutUrl: '/logout' } }, /oidc.signOutUrl is not an http\(s\) URL/],
    [
      { ...valid, oidc: { ...valid.oidc, signOutUrl: 'javascript:alert(1)' } },
      /oidc.signOutUrl is not an http/,
    ],
    [{ ...valid, oidc: { ...valid.oidc, signOutUrl: '' } }, /oidc.signOutUrl is missing/],
    [{ ...valid, oidc: { ...valid.oidc, signOutUrl: 42 } }, /oidc.signOutUrl is missing/],
    ['x', /not a JSON object/],
  ])('refuses %j with a message naming what is wrong', (raw, message) => {
    expect(() => parseConfig(raw)).toThrow(ConfigError);
    expect(() => parseConfig(raw)).toThrow(message);
  });
});
