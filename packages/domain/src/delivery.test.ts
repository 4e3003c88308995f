import { describe, expect, it } from 'vitest';
import { imagesBucketCorsRules, webAppContentSecurityPolicy } from './delivery.js';

const directives = (csp: string): Record<string, string[]> =>
  Object.fromEntries(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );

const sources = {
  api: 'https://*.execute-api.eu-west-1.amazonaws.com',
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com',
  login: 'https://x.auth.eu-west-1.amazoncognito.com',
  imagesBucket: 'https://b.s3.eu-west-1.amazonaws.com',
};

describe('webAppContentSecurityPolicy', () => {
  it('runs only the app’s own code, never inline script or eval, and cannot be framed', () => {
    const csp = directives(webAppContentSecurityPolicy(sources));
    expect(csp['default-src']).toEqual(["'none'"]);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['style-src']).toEqual(["'self'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['base-uri']).toEqual(["'none'"]);
  });

  it('lets the app reach exactly its API, provider and bucket, and post forms to the login host only', () => {
    const csp = directives(webAppContentSecurityPolicy({ ...sources, login: sources.issuer }));
    // The provider's issuer and login host are one origin locally: named once.
    expect(csp['connect-src']).toEqual(["'self'", sources.api, sources.issuer, sources.imagesBucket]);
    expect(csp['form-action']).toEqual(["'self'", sources.issuer]);
  });

  it('shows thumbnails from the distribution itself, or from the delivery origin it is given', () => {
    expect(directives(webAppContentSecurityPolicy(sources))['img-src']).toEqual(["'self'", 'blob:', 'data:']);
    expect(
      directives(webAppContentSecurityPolicy({ ...sources, thumbnails: 'http://127.0.0.1:3002' }))['img-src'],
    ).toEqual(["'self'", 'http://127.0.0.1:3002', 'blob:', 'data:']);
  });
});

describe('imagesBucketCorsRules', () => {
  it('takes uploads from the app alone and presigned GETs from anywhere (a redirect sends Origin: null)', () => {
    const [post, get] = imagesBucketCorsRules(['https://app.example']);
    expect(post).toMatchObject({ allowedOrigins: ['https://app.example'], allowedMethods: ['POST'] });
    expect(get).toMatchObject({ allowedOrigins: ['*'], allowedMethods: ['GET'] });
  });

  it('refuses to open uploads without naming the app they come from', () => {
    expect(() => imagesBucketCorsRules([])).toThrow(/web app origin/);
  });
});
