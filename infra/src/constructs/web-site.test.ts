import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Testing } from 'cdktf';
import { resources } from '../../test/fixtures.js';
import { WebSite } from './web-site.js';

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
          loginHost: 'snapstack-test.auth.eu-west-1.amazoncognito.com',
        },
        appUrl: 'https://d111.cloudfront.net',
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

  it("signs out at the managed login's logout endpoint, back to the app's registered URL", () => {
    const config = resources(synthesized, 'aws_s3_object').find((o) => o.key === 'config.json');
    expect(config?.content).toContain(
      `https://snapstack-test.auth.eu-west-1.amazoncognito.com/logout?client_id=client&logout_uri=\${urlencode("https://d111.cloudfront.net/")}`,
    );
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
            signIn: { issuer: 'https://i.example', clientId: 'c', loginHost: 'l.example' },
            appUrl: 'https://app.example',
          }),
      ),
    ).toThrow(/no index.html/);
  });
});
