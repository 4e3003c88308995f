import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { Testing } from 'cdktf';
import { onlyPolicy } from '../../../test/fixtures.js';
import { SqsSendMessageIntegration } from './sqs-send-message-integration.js';

describe('SqsSendMessageIntegration', () => {
  const queueArn = 'arn:aws:sqs:eu-west-1:123456789012:snapstack-test-likes';
  let integration: SqsSendMessageIntegration | undefined;
  const synthesized = Testing.synthScope((scope) => {
    integration = new SqsSendMessageIntegration(scope, 'likes', {
      roleName: 'snapstack-test-likes-apigw',
      region: 'eu-west-1',
      queueArn,
      queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/snapstack-test-likes',
      requestTemplate: 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)',
    });
  });

  it('gives API Gateway a role allowed only sqs:SendMessage on that queue', () => {
    expect(synthesized).toHaveResourceWithProperties(IamRole, { name: 'snapstack-test-likes-apigw' });
    const role = Object.values(JSON.parse(synthesized).resource.aws_iam_role)[0] as {
      assume_role_policy: string;
    };
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({
      Service: 'apigateway.amazonaws.com',
    });
    expect(onlyPolicy(synthesized)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: queueArn }],
    });
  });

  it('renders the integration spec with the form-encoded mapping template', () => {
    expect(integration!.spec.requestTemplates).toEqual({
      'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)',
    });
    expect(integration!.spec.requestParameters).toEqual({
      'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'",
    });
    expect(integration!.spec.responses.map((r) => r.statusCode)).toEqual(['202', '500']);
  });
});
