import { DataAwsArn } from '@cdktf/provider-aws/lib/data-aws-arn/index.js';
import type { Construct } from 'constructs';

/**
 * The account id for the account field of ARNs we write ourselves: `data.aws_arn` parsing the
 * ARN of a resource in the same account, so Terraform fills in the 12 digits at apply time.
 *
 * Why not the alternatives: the IAM policy variable `${aws:PrincipalAccount}` is refused there
 * (`MalformedPolicyDocument`: the account field allows 12 digits, `*` or empty; variables only in
 * the resource path); `data.aws_caller_identity` calls STS at every plan, so `terraform plan`
 * with stand-in credentials (infra/test/terraform.test.ts) could no longer run offline; `*` with
 * an `aws:ResourceAccount` condition relies on a condition key not every action sets. Parsing an
 * ARN needs no API call and no configured account id.
 *
 * @param arn the ARN (a token is fine) of a resource in the account the policy is about
 */
export function accountOf(scope: Construct, id: string, arn: string): string {
  return new DataAwsArn(scope, id, { arn }).account;
}
