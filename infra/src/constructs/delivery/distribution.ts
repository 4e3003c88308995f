/**
 * DeliveryDistribution: a stage's CloudFront distribution. `/<prefix>*` (thumbnails) is served
 * from the images bucket, everything else from the web app's bucket; both buckets stay private
 * and grant `s3:GetObject` to this distribution alone, which signs every request to them with
 * Origin Access Control (SigV4, always). Viewers reach it over HTTPS only, with HSTS.
 *
 * @example
 * const cdn = new DeliveryDistribution(this, 'delivery', {
 *   name: 'snapstack-dev', images, imagesPrefix: 'thumbnails/', web, webContentSecurityPolicy,
 *   imagesCacheControl: 'public, max-age=31536000, immutable', priceClass: 'PriceClass_100',
 * });
 * cdn.url // https://d111111abcdef8.cloudfront.net
 */
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution/index.js';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control/index.js';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { Construct } from 'constructs';
import type { SecureBucket } from '../secure-bucket.js';
import { aliasRecords, EdgeCertificate } from './edge-domain.js';
import {
  ONE_DAY_SECONDS,
  ONE_YEAR_SECONDS,
  pathOnlyCachePolicy,
  securityHeadersPolicy,
} from './edge-policies.js';

export interface DeliveryDomainProps {
  readonly domainName: string;
  readonly hostedZoneId: string;
  /** An AWS provider for us-east-1, where CloudFront's certificates live. */
  readonly usEast1: AwsProvider;
}

export interface DeliveryDistributionProps {
  /** Prefix of the account-unique names (policies, OAC): `snapstack-<stage>`. */
  readonly name: string;
  readonly images: SecureBucket;
  /** The images bucket's public key prefix (`thumbnails/`); nothing else of that bucket is served. */
  readonly imagesPrefix: string;
  /** Cache-Control every image answer carries, whatever S3 stored with the object. */
  readonly imagesCacheControl: string;
  /** The web app's static files (index.html at the root). */
  readonly web: SecureBucket;
  /** The web app's Content-Security-Policy (content-security-policy.ts), sent with its pages. */
  readonly webContentSecurityPolicy: string;
  readonly priceClass: string;
  readonly customDomain?: DeliveryDomainProps;
}

const IMAGES_ORIGIN = 'images';
const WEB_ORIGIN = 'web';
const READ_METHODS = ['GET', 'HEAD'];

export class DeliveryDistribution extends Construct {
  public readonly distribution: CloudfrontDistribution;
  public readonly arn: string;
  /** CloudFront's own name for it (`<id>.cloudfront.net`), also with a custom domain. */
  public readonly domainName: string;
  /** `https://<custom domain>` when configured, else `https://<id>.cloudfront.net`; no trailing slash. */
  public readonly url: string;
  /** The web app's bucket, the default origin: the web stack uploads the app there. */
  public readonly webBucket: SecureBucket;

  constructor(scope: Construct, id: string, props: DeliveryDistributionProps) {
    super(scope, id);
    const certificateArn = props.customDomain
      ? new EdgeCertificate(this, 'certificate', {
          domainName: props.customDomain.domainName,
          hostedZoneId: props.customDomain.hostedZoneId,
          provider: props.customDomain.usEast1,
        }).certificateArn
      : undefined;
    this.distribution = this.createDistribution(props, certificateArn);
    this.arn = this.distribution.arn;
    this.domainName = this.distribution.domainName;
    this.url = `https://${props.customDomain?.domainName ?? this.domainName}`;
    this.webBucket = props.web;
    props.images.allowCloudFrontRead(this.arn, props.imagesPrefix);
    props.web.allowCloudFrontRead(this.arn);
    if (props.customDomain) {
      aliasRecords(this, 'alias', {
        domainName: props.customDomain.domainName,
        hostedZoneId: props.customDomain.hostedZoneId,
        target: { domainName: this.domainName, hostedZoneId: this.distribution.hostedZoneId },
      });
    }
  }

  /** The cache and response-headers policies of the two behaviours. */
  private createPolicies(props: DeliveryDistributionProps) {
    return {
      imagesCache: pathOnlyCachePolicy(this, 'images-cache', {
        name: `${props.name}-images`,
        comment: 'Immutable images: a key names one image at one size, and its bytes never change',
        defaultTtlSeconds: ONE_YEAR_SECONDS,
        maxTtlSeconds: ONE_YEAR_SECONDS,
        compress: false,
      }),
      imagesHeaders: securityHeadersPolicy(this, 'images-headers', {
        name: `${props.name}-images`,
        comment: 'HSTS, nosniff, and the immutable Cache-Control for browsers',
        cacheControl: props.imagesCacheControl,
      }),
      webCache: pathOnlyCachePolicy(this, 'web-cache', {
        name: `${props.name}-web`,
        comment: "The web app's static files: the origin's Cache-Control decides, a day otherwise",
        defaultTtlSeconds: ONE_DAY_SECONDS,
        maxTtlSeconds: ONE_YEAR_SECONDS,
        compress: true,
      }),
      webHeaders: securityHeadersPolicy(this, 'web-headers', {
        name: `${props.name}-web`,
        comment: "The web app's strict CSP, HSTS, nosniff, no framing, no referrer",
        contentSecurityPolicy: props.webContentSecurityPolicy,
        referrerPolicy: 'no-referrer',
      }),
    };
  }

  private createDistribution(
    props: DeliveryDistributionProps,
    certificateArn?: string,
  ): CloudfrontDistribution {
    // One OAC serves both origins: it says how CloudFront signs, not which bucket it may read.
    const oac = new CloudfrontOriginAccessControl(this, 'oac', {
      name: `${props.name}-s3`,
      description: 'CloudFront signs every request to the private buckets (SigV4)',
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });
    const { imagesCache, imagesHeaders, webCache, webHeaders } = this.createPolicies(props);
    const domain = props.customDomain?.domainName;
    return new CloudfrontDistribution(this, 'distribution', {
      enabled: true,
      comment: `${props.name}: thumbnails and the web app`,
      isIpv6Enabled: true,
      httpVersion: 'http2and3',
      priceClass: props.priceClass,
      defaultRootObject: 'index.html',
      origin: [
        {
          originId: IMAGES_ORIGIN,
          domainName: props.images.regionalDomainName,
          originAccessControlId: oac.id,
        },
        { originId: WEB_ORIGIN, domainName: props.web.regionalDomainName, originAccessControlId: oac.id },
      ],
      orderedCacheBehavior: [
        {
          pathPattern: `/${props.imagesPrefix}*`,
          targetOriginId: IMAGES_ORIGIN,
          // Image URLs come from the API, always https: plain http gets a 403, not a redirect.
          viewerProtocolPolicy: 'https-only',
          allowedMethods: READ_METHODS,
          cachedMethods: READ_METHODS,
          cachePolicyId: imagesCache.id,
          responseHeadersPolicyId: imagesHeaders.id,
          compress: false,
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: WEB_ORIGIN,
        // People type the web app's address: send them to https (HSTS keeps them there).
        viewerProtocolPolicy: 'redirect-to-https',
        allowedMethods: READ_METHODS,
        cachedMethods: READ_METHODS,
        cachePolicyId: webCache.id,
        responseHeadersPolicyId: webHeaders.id,
        compress: true,
      },
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      ...(domain && certificateArn
        ? {
            aliases: [domain],
            viewerCertificate: {
              acmCertificateArn: certificateArn,
              sslSupportMethod: 'sni-only',
              minimumProtocolVersion: 'TLSv1.2_2021',
            },
          }
        : { viewerCertificate: { cloudfrontDefaultCertificate: true } }),
    });
  }
}
