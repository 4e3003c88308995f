import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Testing } from 'cdktf';
import { resources } from '../../test/fixtures.js';
import { WebSite, webContentSecurityPolicy } from './web-site.js';

function builtApp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'web-dist-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'export {}');
  return dir;
}

describe('WebSite', () => {
  const synthesized = Testing.synthScope(
    (scope) =>
      new WebSite(scope, 'web-site', {
        bucket: { bucketName: 'snapstack-test-web' },
        distDir: builtApp(),
        apiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/test',
        signIn: {
          issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_pool',
          clientId: 'client',
          loginOrigin: 'https://snapstack-test.auth.eu-west-1.amazoncognito.com',
        },
        appUrl: 'https://d111.cloudfront.net',
        imagesBucketOrigin: 'https://snapstack-test-images.s3.eu-west-1.amazonaws.com',
      }),
  );

  it('uploads every built file with its type, hashed assets cached for good and the page revalidated', () => {
    const objects = resources(synthesized, 'aws_s3_object');
    const byKey = Object.fromEntries(objects.map((o) => [o.key, o]));
    expect(byKey['index.html']).toMatchObject({
      content_type: 'text/html; charset=utf-8',
      cache_control: 'no-cache',
    });
    expect(byKey['assets/index-abc.js']).toMatchObject({
      cache_control: 'public, max-age=31536000, immutable',
    });
    expect(byKey['config.json']).toMatchObject({
      content_type: 'application/json',
      cache_control: 'no-cache',
    });
  });

  it('writes config.json from the stage, with a registered redirect URI and the resource server’s scopes', () => {
    const config = resources(synthesized, 'aws_s3_object').find((o) => o.key === 'config.json');
    expect(config?.content).toContain('https://d111.cloudfront.net/');
    expect(config?.content).toContain('snapstack/images:write');
  });

  it('refuses a directory without a built app', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'web-empty-'));
    expect(() =>
      Testing.synthScope(
        (scope) =>
          new WebSite(scope, 'w', {
            bucket: { bucketName: 'b' },
            distDir: empty,
            apiUrl: 'https://a.example',
            signIn: { issuer: 'https://i.example', clientId: 'c', loginOrigin: 'https://l.example' },
            appUrl: 'https://app.example',
            imagesBucketOrigin: 'https://s3.example',
          }),
      ),
    ).toThrow(/no index.html/);
  });
});

describe('webContentSecurityPolicy', () => {
  it('allows only the app’s own code and the origins it talks to, never inline script', () => {
    const csp = webContentSecurityPolicy({
      api: 'https://abc.execute-api.eu-west-1.amazonaws.com/test',
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_pool',
      login: 'https://x.auth.eu-west-1.amazoncognito.com',
      imagesBucket: 'https://b.s3.eu-west-1.amazonaws.com',
    });
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain(
      "connect-src 'self' https://abc.execute-api.eu-west-1.amazonaws.com https://cognito-idp.eu-west-1.amazonaws.com https://x.auth.eu-west-1.amazoncognito.com https://b.s3.eu-west-1.amazonaws.com;",
    );
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
