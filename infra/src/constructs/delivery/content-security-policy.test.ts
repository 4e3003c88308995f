import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { TerraformOutput, Testing } from 'cdktf';
import { webContentSecurityPolicy } from './content-security-policy.js';

/** The sources of one directive (the policy's layout is the domain's, tested there). */
const sourcesOf = (csp: string, directive: string): string[] =>
  new RegExp(`${directive} ([^;]+)`).exec(csp)![1]!.split(' ');

const urls = {
  api: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev',
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_pool',
  login: 'https://x.auth.eu-west-1.amazoncognito.com/login',
  imagesBucket: 'https://b.s3.eu-west-1.amazonaws.com',
};

describe('webContentSecurityPolicy', () => {
  it('names each source by its origin: a path would narrow it to that path', () => {
    const csp = webContentSecurityPolicy(urls);
    expect(sourcesOf(csp, 'connect-src')).toEqual([
      "'self'",
      'https://abc.execute-api.eu-west-1.amazonaws.com',
      'https://cognito-idp.eu-west-1.amazonaws.com',
      'https://x.auth.eu-west-1.amazoncognito.com',
      'https://b.s3.eu-west-1.amazonaws.com',
    ]);
    expect(sourcesOf(csp, 'form-action')).toEqual(["'self'", 'https://x.auth.eu-west-1.amazoncognito.com']);
  });

  it('keeps a wildcard host as CSP reads it', () => {
    const csp = webContentSecurityPolicy({ ...urls, api: 'https://*.execute-api.eu-west-1.amazonaws.com' });
    expect(sourcesOf(csp, 'connect-src')).toContain('https://*.execute-api.eu-west-1.amazonaws.com');
  });

  it('cuts values known only at apply time to their origin in Terraform', () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        const bucket = new S3Bucket(scope, 'images', { bucket: 'b' });
        new TerraformOutput(scope, 'csp', {
          value: webContentSecurityPolicy({
            ...urls,
            imagesBucket: `https://${bucket.bucketRegionalDomainName}`,
          }),
        });
      }),
    );
    expect(json.output.csp.value).toContain(
      ` \${regex("^https?://[^/]+", "https://\${aws_s3_bucket.images.bucket_regional_domain_name}")}; form-action`,
    );
  });
});
