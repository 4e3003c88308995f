/**
 * The permissions a CDKTF deployer of one Snapstack stage needs, and no more: exact actions
 * per service, on resources named `snapstack-<stage>-*` in the stage's region, plus the
 * stage's Terraform state. API Gateway, CloudFront and Cognito ids are random, so their ARNs
 * are scoped to the account's (or region's) collections of each kind instead of names.
 *
 * `account` fills the account field of the ARNs: the stage's 12-digit account id, usually a
 * Terraform reference from `accountOf` (account.ts) — never a policy variable, which IAM refuses there.
 */
import { resourceName } from '@snapstack/domain/naming';
import type { StageConfig } from '../config.js';
import { DEPLOYER_ACTIONS } from './deployer-actions.js';
import type { PolicyStatement } from './policy.js';

export function deployerStatements(config: StageConfig, account: string): PolicyStatement[] {
  const { region, stage, state } = config;
  // Every name of the stage, as resourceName makes them: `snapstack-<stage>-` and any part.
  const prefix = resourceName(stage, '');
  return [
    {
      sid: 'TerraformStateList',
      actions: ['s3:ListBucket'],
      resources: [`arn:aws:s3:::${state.bucket}`],
      conditions: { StringLike: { 's3:prefix': [`${state.keyPrefix}/*`] } },
    },
    {
      sid: 'TerraformStateObjects',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [`arn:aws:s3:::${state.bucket}/${state.keyPrefix}/*`],
    },
    ...lambdaStatements(region, account, prefix),
    ...resourceStatements(region, account, prefix),
    ...webTierStatements(config, account),
  ];
}

/**
 * The stateful stack's web and sign-in tiers (distribution, user pool, the custom domain's
 * certificate and records when the stage has one) and the web stack's files. CloudFront and
 * Cognito name their resources by random ids, so these are scoped to the account's collections
 * of each kind; the two calls with no resource type at all are narrowed by the stage tag every
 * resource gets (the provider's default tags).
 */
function webTierStatements(config: StageConfig, acct: string): PolicyStatement[] {
  const { region, stage } = config;
  const stageTagged = { StringEquals: { 'aws:RequestTag/stage': stage } };
  const domain = config.delivery.customDomain;
  return [
    {
      sid: 'WebAppFiles',
      actions: DEPLOYER_ACTIONS.webObjects,
      resources: [`arn:aws:s3:::${resourceName(stage, 'web')}/*`],
    },
    {
      sid: 'Distribution',
      actions: DEPLOYER_ACTIONS.cloudfront,
      resources: ['distribution', 'origin-access-control', 'cache-policy', 'response-headers-policy'].map(
        (kind) => `arn:aws:cloudfront::${acct}:${kind}/*`,
      ),
    },
    {
      sid: 'UserPoolCreate',
      actions: ['cognito-idp:CreateUserPool'],
      resources: ['*'],
      conditions: stageTagged,
    },
    {
      sid: 'UserPools',
      actions: DEPLOYER_ACTIONS.userPools,
      resources: [`arn:aws:cognito-idp:${region}:${acct}:userpool/*`],
    },
    {
      sid: 'UserPoolDomains',
      actions: ['cognito-idp:DescribeUserPoolDomain'],
      resources: ['*'],
    },
    {
      sid: 'Schedules',
      actions: DEPLOYER_ACTIONS.schedules,
      resources: [`arn:aws:scheduler:${region}:${acct}:schedule/default/${resourceName(stage, '')}*`],
    },
    ...(domain
      ? [
          {
            sid: 'EdgeCertificateRequest',
            actions: ['acm:RequestCertificate', 'acm:AddTagsToCertificate'],
            resources: ['*'],
            conditions: stageTagged,
          },
          {
            sid: 'EdgeCertificates',
            actions: [
              'acm:DescribeCertificate',
              'acm:DeleteCertificate',
              'acm:ListTagsForCertificate',
              'acm:AddTagsToCertificate',
              'acm:RemoveTagsFromCertificate',
            ],
            resources: [`arn:aws:acm:us-east-1:${acct}:certificate/*`],
          },
          {
            sid: 'EdgeRecords',
            actions: [
              'route53:ChangeResourceRecordSets',
              'route53:ListResourceRecordSets',
              'route53:GetHostedZone',
            ],
            resources: [`arn:aws:route53:::hostedzone/${domain.hostedZoneId}`],
          },
          {
            sid: 'EdgeRecordChanges',
            actions: ['route53:GetChange'],
            resources: ['arn:aws:route53:::change/*'],
          },
        ]
      : []),
  ];
}

/** Functions, layers and event source mappings of the stage. */
function lambdaStatements(region: string, acct: string, prefix: string): PolicyStatement[] {
  const functionArn = `arn:aws:lambda:${region}:${acct}:function:${prefix}*`;
  return [
    {
      sid: 'Functions',
      actions: DEPLOYER_ACTIONS.functions,
      resources: [functionArn],
    },
    {
      sid: 'Layers',
      actions: ['lambda:PublishLayerVersion', 'lambda:GetLayerVersion', 'lambda:DeleteLayerVersion'],
      resources: [`arn:aws:lambda:${region}:${acct}:layer:${prefix}*`],
    },
    {
      sid: 'EventSourceMappingCreate',
      actions: ['lambda:CreateEventSourceMapping'],
      resources: ['*'],
      conditions: { ArnLike: { 'lambda:FunctionArn': functionArn } },
    },
    {
      sid: 'EventSourceMappings',
      actions: [
        'lambda:GetEventSourceMapping',
        'lambda:UpdateEventSourceMapping',
        'lambda:DeleteEventSourceMapping',
      ],
      resources: [`arn:aws:lambda:${region}:${acct}:event-source-mapping:*`],
      conditions: { ArnLike: { 'lambda:FunctionArn': functionArn } },
    },
  ];
}

/** Roles, log groups, tables, queues, buckets and the REST API of the stage. */
function resourceStatements(region: string, acct: string, prefix: string): PolicyStatement[] {
  const logGroups = [`/aws/lambda/${prefix}*`, `/aws/apigateway/${prefix}*`].flatMap((name) => [
    `arn:aws:logs:${region}:${acct}:log-group:${name}`,
    `arn:aws:logs:${region}:${acct}:log-group:${name}:*`,
  ]);
  const apigw = (paths: readonly string[]) => paths.map((p) => `arn:aws:apigateway:${region}::${p}`);
  return [
    {
      sid: 'Roles',
      actions: DEPLOYER_ACTIONS.roles,
      resources: [`arn:aws:iam::${acct}:role/${prefix}*`],
    },
    {
      sid: 'PassRolesToServices',
      actions: ['iam:PassRole'],
      resources: [`arn:aws:iam::${acct}:role/${prefix}*`],
      conditions: {
        StringEquals: {
          'iam:PassedToService': [
            'lambda.amazonaws.com',
            'apigateway.amazonaws.com',
            'scheduler.amazonaws.com',
          ],
        },
      },
    },
    {
      sid: 'LogGroups',
      actions: DEPLOYER_ACTIONS.logGroups,
      resources: logGroups,
    },
    {
      sid: 'LogGroupsDescribe',
      actions: ['logs:DescribeLogGroups'],
      resources: [`arn:aws:logs:${region}:${acct}:log-group:*`],
    },
    {
      sid: 'Tables',
      actions: DEPLOYER_ACTIONS.tables,
      resources: [`arn:aws:dynamodb:${region}:${acct}:table/${prefix}*`],
    },
    {
      sid: 'Queues',
      actions: DEPLOYER_ACTIONS.queues,
      resources: [`arn:aws:sqs:${region}:${acct}:${prefix}*`],
    },
    {
      sid: 'Buckets',
      actions: DEPLOYER_ACTIONS.buckets,
      resources: [`arn:aws:s3:::${prefix}*`],
    },
    {
      sid: 'RestApis',
      actions: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((verb) => `apigateway:${verb}`),
      resources: apigw([
        '/restapis',
        '/restapis/*',
        '/apikeys',
        '/apikeys/*',
        '/usageplans',
        '/usageplans/*',
        '/domainnames',
        '/domainnames/*',
        '/tags/*',
      ]),
    },
  ];
}
