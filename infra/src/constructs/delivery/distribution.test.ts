import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate/index.js';
import { CloudfrontCachePolicy } from '@cdktf/provider-aws/lib/cloudfront-cache-policy/index.js';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution/index.js';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control/index.js';
import { CloudfrontOriginAccessIdentity } from '@cdktf/provider-aws/lib/cloudfront-origin-access-identity/index.js';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { HSTS_MAX_AGE_SECONDS } from '@snapstack/domain/delivery';
import { Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { policyOf, resources } from '../../../test/fixtures.js';
import type { TerraformJson } from '../../../test/synthesized.js';
import { SecureBucket } from '../secure-bucket.js';
import { DeliveryDistribution, type DeliveryDistributionProps } from './distribution.js';
import { ONE_YEAR_SECONDS } from './edge-policies.js';

const CACHE_CONTROL = 'public, max-age=31536000, immutable';
const WEB_CSP = "default-src 'none'; script-src 'self'";

function synth(customDomain?: { domainName: string; hostedZoneId: string }): TerraformJson {
  return JSON.parse(
    Testing.synthScope((scope: Construct) => {
      new AwsProvider(scope, 'aws', { region: 'eu-west-1' });
      const props: DeliveryDistributionProps = {
        name: 'snapstack-test',
        images: new SecureBucket(scope, 'images', { bucketName: 'snapstack-test-images' }),
        imagesPrefix: 'thumbnails/',
        imagesCacheControl: CACHE_CONTROL,
        web: new SecureBucket(scope, 'web', { bucketName: 'snapstack-test-web' }),
        webContentSecurityPolicy: WEB_CSP,
        priceClass: 'PriceClass_100',
        ...(customDomain
          ? {
              customDomain: {
                ...customDomain,
                usEast1: new AwsProvider(scope, 'us-east-1', { region: 'us-east-1', alias: 'us-east-1' }),
              },
            }
          : {}),
      };
      new DeliveryDistribution(scope, 'delivery', props);
    }),
  );
}

const only = (json: TerraformJson, type: string): [string, TerraformJson] => {
  const entries = Object.entries((json.resource?.[type] ?? {}) as Record<string, TerraformJson>);
  expect(entries, type).toHaveLength(1);
  return entries[0]!;
};
const ref = (type: string, key: string, attr: string) => `\${${type}.${key}.${attr}}`;
const bucketKey = (json: TerraformJson, name: string): string =>
  Object.entries(json.resource.aws_s3_bucket as Record<string, TerraformJson>).find(
    ([, b]) => b.bucket === name,
  )![0];

describe('DeliveryDistribution', () => {
  const json = synth();
  const text = JSON.stringify(json);
  const [distributionKey, distribution] = only(json, CloudfrontDistribution.tfResourceType);
  const distributionArn = ref(CloudfrontDistribution.tfResourceType, distributionKey, 'arn');

  it('reaches both private buckets through Origin Access Control (SigV4, always), never an OAI', () => {
    const [oacKey, oac] = only(json, CloudfrontOriginAccessControl.tfResourceType);
    expect(oac).toMatchObject({
      origin_access_control_origin_type: 's3',
      signing_behavior: 'always',
      signing_protocol: 'sigv4',
    });
    const oacId = ref(CloudfrontOriginAccessControl.tfResourceType, oacKey, 'id');
    expect(distribution.origin).toHaveLength(2);
    for (const origin of distribution.origin as TerraformJson[]) {
      expect(origin.origin_access_control_id).toBe(oacId);
      expect(origin.s3_origin_config).toBeUndefined();
      expect(origin.custom_origin_config).toBeUndefined();
    }
    const domains = (distribution.origin as TerraformJson[]).map((o) => o.domain_name).sort();
    expect(domains).toEqual(
      ['snapstack-test-images', 'snapstack-test-web']
        .map((name) => ref('aws_s3_bucket', bucketKey(json, name), 'bucket_regional_domain_name'))
        .sort(),
    );
    expect(json.resource[CloudfrontOriginAccessIdentity.tfResourceType]).toBeUndefined();
  });

  it('serves /thumbnails/* from the images bucket over HTTPS only, and never plain HTTP anywhere', () => {
    const [thumbnails, ...more] = distribution.ordered_cache_behavior as TerraformJson[];
    expect(more).toEqual([]);
    const imagesOrigin = (distribution.origin as TerraformJson[]).find((o) =>
      String(o.domain_name).includes(bucketKey(json, 'snapstack-test-images')),
    )!;
    expect(thumbnails).toMatchObject({
      path_pattern: '/thumbnails/*',
      target_origin_id: imagesOrigin.origin_id,
      viewer_protocol_policy: 'https-only',
      allowed_methods: ['GET', 'HEAD'],
    });
    expect(distribution.default_cache_behavior.viewer_protocol_policy).toBe('redirect-to-https');
    expect(distribution.default_cache_behavior.target_origin_id).not.toBe(imagesOrigin.origin_id);
    expect(distribution.default_root_object).toBe('index.html');
    expect(distribution.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
  });

  it('lets only this distribution read, only thumbnails of the images bucket, beside the TLS-only deny', () => {
    const imagesPolicy = policyOf(JSON.stringify(json), 'aws_s3_bucket_policy').find((p) =>
      JSON.stringify(p).includes(bucketKey(json, 'snapstack-test-images')),
    )!;
    const allows = imagesPolicy.Statement.filter((s: TerraformJson) => s.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Sid: expect.any(String),
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: `${ref('aws_s3_bucket', bucketKey(json, 'snapstack-test-images'), 'arn')}/thumbnails/*`,
        Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
      },
    ]);
    expect(imagesPolicy.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    // Still one policy per bucket (S3 keeps one): the grant joined the TLS-only policy.
    expect(resources(JSON.stringify(json), 'aws_s3_bucket_policy')).toHaveLength(2);
    for (const block of resources(JSON.stringify(json), 'aws_s3_bucket_public_access_block')) {
      expect(block).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    }
  });

  it('caches thumbnails for a year keyed by path alone, and sends HSTS, nosniff and the immutable Cache-Control', () => {
    const thumbnails = (distribution.ordered_cache_behavior as TerraformJson[])[0]!;
    const cacheKey = /\.([^.]+)\.id\}$/.exec(thumbnails.cache_policy_id)![1]!;
    const cache = json.resource[CloudfrontCachePolicy.tfResourceType][cacheKey];
    expect(cache).toMatchObject({
      default_ttl: ONE_YEAR_SECONDS,
      max_ttl: ONE_YEAR_SECONDS,
      parameters_in_cache_key_and_forwarded_to_origin: {
        cookies_config: { cookie_behavior: 'none' },
        headers_config: { header_behavior: 'none' },
        query_strings_config: { query_string_behavior: 'none' },
      },
    });
    const headersKey = /\.([^.]+)\.id\}$/.exec(thumbnails.response_headers_policy_id)![1]!;
    const headers = json.resource[CloudfrontResponseHeadersPolicy.tfResourceType][headersKey];
    expect(headers.security_headers_config).toMatchObject({
      strict_transport_security: {
        access_control_max_age_sec: HSTS_MAX_AGE_SECONDS,
        include_subdomains: true,
        override: true,
      },
      content_type_options: { override: true },
    });
    expect(HSTS_MAX_AGE_SECONDS).toBeGreaterThanOrEqual(ONE_YEAR_SECONDS);
    expect(headers.custom_headers_config.items).toEqual([
      { header: 'Cache-Control', value: CACHE_CONTROL, override: true },
    ]);
    // The web app's answers get the security headers but not the immutable Cache-Control.
    const webHeadersKey = /\.([^.]+)\.id\}$/.exec(
      distribution.default_cache_behavior.response_headers_policy_id,
    )![1]!;
    const webHeaders = json.resource[CloudfrontResponseHeadersPolicy.tfResourceType][webHeadersKey];
    expect(webHeaders.security_headers_config.strict_transport_security.include_subdomains).toBe(true);
    expect(webHeaders.custom_headers_config).toBeUndefined();
    // The app's pages carry its CSP and send no referrer (a sign-in callback URL carries a code).
    expect(webHeaders.security_headers_config).toMatchObject({
      content_security_policy: { content_security_policy: WEB_CSP, override: true },
      referrer_policy: { referrer_policy: 'no-referrer', override: true },
    });
    expect(headers.security_headers_config.content_security_policy).toBeUndefined();
  });

  it('creates no certificate or DNS record without a custom domain', () => {
    expect(text).not.toContain('aws_acm_certificate');
    expect(text).not.toContain('aws_route53_record');
    expect(distribution.aliases).toBeUndefined();
  });
});

describe('DeliveryDistribution with a custom domain', () => {
  const zone = 'Z0123456789ABCDEFGHIJ';
  const json = synth({ domainName: 'img.snapstack.example', hostedZoneId: zone });
  const [distributionKey, distribution] = only(json, CloudfrontDistribution.tfResourceType);

  it('takes a DNS-validated ACM certificate from us-east-1, and waits for its validation', () => {
    const [certKey, cert] = only(json, AcmCertificate.tfResourceType);
    expect(cert).toMatchObject({
      domain_name: 'img.snapstack.example',
      validation_method: 'DNS',
      provider: 'aws.us-east-1',
    });
    const [validationKey, validation] = only(json, 'aws_acm_certificate_validation');
    expect(validation.provider).toBe('aws.us-east-1');
    expect(validation.certificate_arn).toBe(ref('aws_acm_certificate', certKey, 'arn'));
    expect(distribution.aliases).toEqual(['img.snapstack.example']);
    expect(distribution.viewer_certificate).toEqual({
      acm_certificate_arn: ref('aws_acm_certificate_validation', validationKey, 'certificate_arn'),
      ssl_support_method: 'sni-only',
      minimum_protocol_version: 'TLSv1.2_2021',
    });
    const records = Object.values(
      json.resource[Route53Record.tfResourceType] as Record<string, TerraformJson>,
    );
    const validationRecords = records.filter((r) => r.for_each !== undefined);
    expect(validationRecords).toHaveLength(1);
    expect(validationRecords[0]).toMatchObject({
      zone_id: zone,
      records: [`\${each.value.resource_record_value}`],
    });
  });

  it('points A and AAAA alias records of the name at the distribution', () => {
    const aliases = Object.values(
      json.resource[Route53Record.tfResourceType] as Record<string, TerraformJson>,
    )
      .filter((r) => r.alias)
      .sort((a, b) => String(a.type).localeCompare(String(b.type)));
    const target = {
      name: ref(CloudfrontDistribution.tfResourceType, distributionKey, 'domain_name'),
      zone_id: ref(CloudfrontDistribution.tfResourceType, distributionKey, 'hosted_zone_id'),
      evaluate_target_health: false,
    };
    expect(aliases).toEqual([
      expect.objectContaining({ type: 'A', name: 'img.snapstack.example', zone_id: zone, alias: target }),
      expect.objectContaining({ type: 'AAAA', name: 'img.snapstack.example', zone_id: zone, alias: target }),
    ]);
  });
});
