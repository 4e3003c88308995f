/**
 * The bootstrap stack, applied once per stage by an administrator before anything else:
 * the Terraform state bucket, the GitHub Actions OIDC provider and the stage's deploy role
 * (assumable only from this repository's jobs running in the stage's GitHub environment), and
 * API Gateway's account-level CloudWatch Logs role (needed for stage access logs).
 */
import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account/index.js';
import { DataAwsIamOpenidConnectProvider } from '@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider/index.js';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { accountResourceName, resourceName } from '@snapstack/domain/naming';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config.js';
import { SecureBucket } from '../constructs/secure-bucket.js';
import { accountOf } from '../iam/account.js';
import { deployerStatements } from '../iam/deployer-statements.js';
import { policyJson, serviceTrustPolicy, trustPolicy } from '../iam/policy.js';
import { SnapstackStack, type SnapstackStackProps } from './snapstack-stack.js';

export const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';
const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** Trust policy: GitHub's OIDC tokens for this repository and this GitHub environment only. */
export function githubTrustPolicy(providerArn: string, config: StageConfig): string {
  const { owner, repo, environment } = config.github;
  return trustPolicy({ Federated: providerArn }, 'sts:AssumeRoleWithWebIdentity', {
    StringEquals: {
      [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com',
      [`${GITHUB_OIDC_HOST}:sub`]: `repo:${owner}/${repo}:environment:${environment}`,
    },
  });
}

export class BootstrapStack extends SnapstackStack {
  public readonly deployRole: IamRole;

  constructor(scope: Construct, props: SnapstackStackProps) {
    super(scope, 'bootstrap', props);
    const { config } = props;

    const stateBucket = new SecureBucket(this, 'state', {
      bucketName: config.state.bucket,
      noncurrentVersionDays: 90,
    });
    new TerraformOutput(this, 'state-bucket', { value: stateBucket.bucketName });

    let providerArn: string;
    if (config.account.ownsAccountResources) {
      providerArn = new IamOpenidConnectProvider(this, 'github-oidc', {
        url: GITHUB_OIDC_URL,
        clientIdList: ['sts.amazonaws.com'],
      }).arn;
      const cloudwatchRole = new IamRole(this, 'apigateway-cloudwatch-role', {
        // Account-wide (not per stage): API Gateway uses one CloudWatch role per account and region.
        name: accountResourceName('apigateway-cloudwatch'),
        assumeRolePolicy: serviceTrustPolicy('apigateway.amazonaws.com'),
      });
      // The account of the role this policy is attached to (see accountOf).
      const account = accountOf(this, 'apigateway-cloudwatch-account', cloudwatchRole.arn);
      new IamRolePolicy(this, 'apigateway-cloudwatch-policy', {
        name: 'push-logs',
        role: cloudwatchRole.id,
        policy: policyJson([
          {
            actions: [
              'logs:CreateLogGroup',
              'logs:CreateLogStream',
              'logs:DescribeLogGroups',
              'logs:DescribeLogStreams',
              'logs:PutLogEvents',
              'logs:GetLogEvents',
              'logs:FilterLogEvents',
            ],
            resources: [`arn:aws:logs:${config.region}:${account}:log-group:*`],
          },
        ]),
      });
      new ApiGatewayAccount(this, 'apigateway-account', { cloudwatchRoleArn: cloudwatchRole.arn });
    } else {
      providerArn = new DataAwsIamOpenidConnectProvider(this, 'github-oidc', { url: GITHUB_OIDC_URL }).arn;
    }

    this.deployRole = new IamRole(this, 'deploy-role', {
      name: resourceName(config.stage, 'deploy'),
      description: `GitHub Actions (${config.github.owner}/${config.github.repo}, environment ${config.github.environment}) deploys ${config.stage}`,
      assumeRolePolicy: githubTrustPolicy(providerArn, config),
      maxSessionDuration: 3600,
    });
    new IamRolePolicy(this, 'deploy-policy', {
      name: 'cdktf-deploy',
      role: this.deployRole.id,
      // The deployer acts in the account of its own role (see accountOf).
      policy: policyJson(deployerStatements(config, accountOf(this, 'deploy-account', this.deployRole.arn))),
    });
    new TerraformOutput(this, 'deploy-role-arn', { value: this.deployRole.arn });
  }
}
