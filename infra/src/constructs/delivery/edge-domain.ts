/**
 * A custom domain for a CloudFront distribution: an ACM certificate in us-east-1 (the only region
 * CloudFront takes certificates from), validated through DNS records in the domain's Route 53
 * zone, and the A/AAAA alias records pointing the name at the distribution.
 *
 * @example
 * const cert = new EdgeCertificate(this, 'cert', { domainName: 'snapstack.example', hostedZoneId, provider: usEast1 });
 * // ... the distribution with cert.certificateArn, then:
 * aliasRecords(this, 'alias', { domainName: 'snapstack.example', hostedZoneId, target: distribution });
 */
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate/index.js';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation/index.js';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { TerraformIterator, Token } from 'cdktf';
import { Construct } from 'constructs';

export interface EdgeCertificateProps {
  readonly domainName: string;
  readonly hostedZoneId: string;
  /** An AWS provider for us-east-1. */
  readonly provider: AwsProvider;
}

export class EdgeCertificate extends Construct {
  /** The certificate's ARN once validated: a distribution using it waits for validation. */
  public readonly certificateArn: string;

  constructor(scope: Construct, id: string, props: EdgeCertificateProps) {
    super(scope, id);
    const certificate = new AcmCertificate(this, 'certificate', {
      provider: props.provider,
      domainName: props.domainName,
      validationMethod: 'DNS',
      // A replacement certificate must exist before the distribution lets go of the old one.
      lifecycle: { createBeforeDestroy: true },
    });
    // One record per validation option; ACM reports them only at apply time, hence an iterator.
    const options = TerraformIterator.fromComplexList(certificate.domainValidationOptions, 'domain_name');
    const records = new Route53Record(this, 'validation-record', {
      forEach: options,
      zoneId: props.hostedZoneId,
      name: options.getString('resource_record_name'),
      type: options.getString('resource_record_type'),
      records: [options.getString('resource_record_value')],
      ttl: 300,
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, 'validation', {
      provider: props.provider,
      certificateArn: certificate.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(records).pluckProperty('fqdn')),
    });
    this.certificateArn = validation.certificateArn;
  }
}

export interface AliasRecordsProps {
  readonly domainName: string;
  readonly hostedZoneId: string;
  /** The distribution's domain name and CloudFront's hosted zone id (`hosted_zone_id`). */
  readonly target: { readonly domainName: string; readonly hostedZoneId: string };
}

/** A and AAAA alias records: the distribution is dual-stack. */
export function aliasRecords(scope: Construct, id: string, props: AliasRecordsProps): Route53Record[] {
  return (['A', 'AAAA'] as const).map(
    (type) =>
      new Route53Record(scope, `${id}-${type.toLowerCase()}`, {
        zoneId: props.hostedZoneId,
        name: props.domainName,
        type,
        alias: {
          name: props.target.domainName,
          zoneId: props.target.hostedZoneId,
          evaluateTargetHealth: false,
        },
      }),
  );
}
