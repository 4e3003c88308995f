/**
 * The deploy role can create what the stacks declare: for every resource type a stage's stacks
 * synthesize (bootstrap aside: an administrator applies it), the deployer's policy allows the
 * call that creates it. A new kind of resource fails here until its create action is listed
 * below and granted in infra/src/iam/deployer-statements.ts.
 */
import { STAGES, stageConfig } from '../src/config.js';
import { deployerStatements } from '../src/iam/deployer-statements.js';
import { type SynthOutdir, stacksOf } from './synthesized.js';
import { CUSTOM_DOMAIN, customDomainConfig } from './variants.js';

/** The call (as IAM names it) the Terraform provider makes to create each resource type. */
const CREATE_ACTION: Readonly<Record<string, string>> = {
  aws_api_gateway_api_key: 'apigateway:POST',
  aws_api_gateway_authorizer: 'apigateway:POST',
  aws_api_gateway_deployment: 'apigateway:POST',
  aws_api_gateway_gateway_response: 'apigateway:PUT',
  aws_api_gateway_integration: 'apigateway:PUT',
  aws_api_gateway_integration_response: 'apigateway:PUT',
  aws_api_gateway_method: 'apigateway:PUT',
  aws_api_gateway_method_response: 'apigateway:PUT',
  aws_api_gateway_method_settings: 'apigateway:PATCH',
  aws_api_gateway_model: 'apigateway:POST',
  aws_api_gateway_request_validator: 'apigateway:POST',
  aws_api_gateway_resource: 'apigateway:POST',
  aws_api_gateway_rest_api: 'apigateway:POST',
  aws_api_gateway_stage: 'apigateway:POST',
  aws_api_gateway_usage_plan: 'apigateway:POST',
  aws_api_gateway_usage_plan_key: 'apigateway:POST',
  aws_api_gateway_domain_name: 'apigateway:POST',
  aws_api_gateway_base_path_mapping: 'apigateway:POST',
  aws_cloudwatch_log_group: 'logs:CreateLogGroup',
  aws_iam_role: 'iam:CreateRole',
  aws_iam_role_policy: 'iam:PutRolePolicy',
  aws_lambda_function: 'lambda:CreateFunction',
  aws_lambda_permission: 'lambda:AddPermission',
  aws_lambda_event_source_mapping: 'lambda:CreateEventSourceMapping',
  aws_lambda_function_event_invoke_config: 'lambda:PutFunctionEventInvokeConfig',
  aws_lambda_layer_version: 'lambda:PublishLayerVersion',
  aws_scheduler_schedule: 'scheduler:CreateSchedule',
  aws_dynamodb_table: 'dynamodb:CreateTable',
  aws_sqs_queue: 'sqs:CreateQueue',
  aws_sqs_queue_redrive_allow_policy: 'sqs:SetQueueAttributes',
  aws_s3_bucket: 's3:CreateBucket',
  aws_s3_bucket_cors_configuration: 's3:PutBucketCORS',
  aws_s3_bucket_lifecycle_configuration: 's3:PutLifecycleConfiguration',
  aws_s3_bucket_notification: 's3:PutBucketNotification',
  aws_s3_bucket_ownership_controls: 's3:PutBucketOwnershipControls',
  aws_s3_bucket_policy: 's3:PutBucketPolicy',
  aws_s3_bucket_public_access_block: 's3:PutBucketPublicAccessBlock',
  aws_s3_bucket_server_side_encryption_configuration: 's3:PutEncryptionConfiguration',
  aws_s3_bucket_versioning: 's3:PutBucketVersioning',
  aws_s3_object: 's3:PutObject',
  aws_cloudfront_distribution: 'cloudfront:CreateDistribution',
  aws_cloudfront_origin_access_control: 'cloudfront:CreateOriginAccessControl',
  aws_cloudfront_cache_policy: 'cloudfront:CreateCachePolicy',
  aws_cloudfront_response_headers_policy: 'cloudfront:CreateResponseHeadersPolicy',
  aws_cognito_user_pool: 'cognito-idp:CreateUserPool',
  aws_cognito_user_pool_client: 'cognito-idp:CreateUserPoolClient',
  aws_cognito_resource_server: 'cognito-idp:CreateResourceServer',
  aws_cognito_user_pool_domain: 'cognito-idp:CreateUserPoolDomain',
  aws_acm_certificate: 'acm:RequestCertificate',
  aws_acm_certificate_validation: 'acm:DescribeCertificate',
  aws_route53_record: 'route53:ChangeResourceRecordSets',
};

const cases: [SynthOutdir, ReturnType<typeof stageConfig>][] = [
  ...STAGES.map((stage): [SynthOutdir, ReturnType<typeof stageConfig>] => [stage, stageConfig(stage)]),
  [CUSTOM_DOMAIN.outdir, customDomainConfig()],
];

describe.each(cases)('the deploy role of %s', (outdir, config) => {
  const granted = new Set(deployerStatements(config, '123456789012').flatMap((s) => s.actions));
  const types = [
    ...new Set(
      stacksOf(outdir)
        .filter((s) => !s.name.endsWith('-bootstrap'))
        .flatMap((s) => Object.keys(s.json.resource ?? {})),
    ),
  ].sort();

  it.each(types)('may create %s', (type) => {
    const action = CREATE_ACTION[type];
    expect(action, `${type}: name its create action in infra/test/deployer.test.ts`).toBeDefined();
    expect(granted.has(action!), `${type} needs ${action}`).toBe(true);
  });

  it('grants nothing for a custom domain the stage does not have', () => {
    const acm = [...granted].filter((a) => a.startsWith('acm:') || a.startsWith('route53:'));
    expect(acm.length > 0).toBe(config.delivery.customDomain !== undefined);
  });
});
