/**
 * SqsSendMessageIntegration: what API Gateway needs to put a request on an SQS queue — an
 * execution role API Gateway assumes, allowed `sqs:SendMessage` on that one queue and nothing
 * else, and the integration spec (`RestApi`'s `serviceIntegration` hook) with the domain's
 * mapping template.
 *
 * @example
 * const likes = new SqsSendMessageIntegration(this, 'likes', { roleName, region, queueArn, queueUrl, requestTemplate });
 * new RestApi(this, 'api', { ..., serviceIntegration: () => likes.spec });
 */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { sqsStatement } from '../../iam/grants.js';
import { policyJson, serviceTrustPolicy } from '../../iam/policy.js';
import type { AwsIntegrationSpec, IntegrationResponseSpec } from './types.js';

export interface SqsSendMessageIntegrationProps {
  readonly roleName: string;
  readonly region: string;
  readonly queueArn: string;
  readonly queueUrl: string;
  /** VTL for `application/json` requests, rendering `Action=SendMessage&MessageBody=...`. */
  readonly requestTemplate: string;
  /** Default: 202 with the SQS message id, 500 for anything SQS rejects. */
  readonly responses?: readonly IntegrationResponseSpec[];
}

export const DEFAULT_SQS_RESPONSES: readonly IntegrationResponseSpec[] = [
  {
    statusCode: '202',
    selectionPattern: '2\\d{2}',
    responseTemplates: {
      'application/json':
        '{"messageId":"$input.path(\'$.SendMessageResponse.SendMessageResult.MessageId\')"}',
    },
  },
  { statusCode: '500', responseTemplates: { 'application/json': '{"message":"Internal server error"}' } },
];

export class SqsSendMessageIntegration extends Construct {
  public readonly role: IamRole;
  public readonly spec: AwsIntegrationSpec;

  constructor(scope: Construct, id: string, props: SqsSendMessageIntegrationProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: 'API Gateway -> SQS SendMessage on one queue',
      assumeRolePolicy: serviceTrustPolicy('apigateway.amazonaws.com'),
    });
    new IamRolePolicy(this, 'policy', {
      name: 'send-message',
      role: this.role.id,
      policy: policyJson([sqsStatement(props.queueArn, ['SendMessage'])]),
    });
    // `path/<account>/<queue>` form of the SQS API, taken from the queue URL (no account id in config).
    const accountAndQueue = Fn.regex('[0-9]{12}/[^/]+$', props.queueUrl);
    this.spec = {
      // One function call, not a string with an embedded token: it is also hashed into the deployment trigger.
      uri: Fn.format('arn:aws:apigateway:%s:sqs:path/%s', [props.region, accountAndQueue]),
      credentialsRoleArn: this.role.arn,
      requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
      requestTemplates: { 'application/json': props.requestTemplate },
      responses: props.responses ?? DEFAULT_SQS_RESPONSES,
    };
  }
}
