import { arnFields, arnProblem, arnProblems, policyDocumentProblems, stackPolicies } from './arn-rules.js';

describe('arnProblem', () => {
  it.each([
    '*',
    'arn:aws:s3:::snapstack-dev-images/uploads/*',
    'arn:aws:lambda:eu-west-1:123456789012:function:snapstack-dev-*',
    'arn:aws:iam::123456789012:role/snapstack-dev-*',
    'arn:aws-us-gov:logs:us-gov-west-1:123456789012:log-group:/aws/lambda/x:*',
    'arn:aws-cn:sqs:cn-north-1:*:q',
    'arn:aws:apigateway:eu-west-1::/restapis/*',
    `arn:aws:ssm:eu-west-1:\${data.aws_arn.stage-account.account}:parameter/snapstack/dev/jwt`,
    `arn:aws:logs:\${data.aws_region.current.name}:\${data.aws_caller_identity.current.account_id}:log-group:*`,
    `arn:\${data.aws_partition.current.partition}:s3:::b`,
    // A policy variable in the resource path is IAM's own feature.
    `arn:aws:s3:::b/home/$\${aws:username}/*`,
    `\${aws_sqs_queue.likes.arn}`,
    `\${data.terraform_remote_state.stateful.outputs.table-images-arn}/index/byOwner`,
    `\${aws_cloudwatch_log_group.logs.arn}:*`,
  ])('accepts %s', (arn) => {
    expect(arnProblem(arn)).toBeUndefined();
  });

  it.each([
    [
      `arn:aws:lambda:eu-west-1:$\${aws:PrincipalAccount}:function:x`,
      /account field .* is a policy variable/,
    ],
    [`arn:aws:ssm:eu-west-1:\${aws:PrincipalAccount}:parameter/x`, /account field .* is a policy variable/],
    ['arn:aws:lambda:eu-west-1:1:function:x', /account field "1" is not valid/],
    [`arn:aws:lambda:eu-west-1:\${aws_iam_role.r.arn}:function:x`, /account field .* is not valid/],
    ['arn:aws:lambda:europe:123456789012:function:x', /region field "europe" is not valid/],
    ['arn:aws:lambda:r:123456789012:function:x', /region field "r" is not valid/],
    [
      `arn:aws:lambda:$\${aws:RequestedRegion}:123456789012:function:x`,
      /region field .* is a policy variable/,
    ],
    ['arn:amazon:s3:::b', /partition field "amazon"/],
    ['arn:aws:DynamoDB:eu-west-1:123456789012:table/t', /service field "DynamoDB"/],
    ['arn:aws:s3:::', /resource part is empty/],
    ['arn:aws:s3', /is not arn:partition:service:region:account:resource/],
    ['snapstack-dev-images', /is not arn:partition/],
    [`\${aws_s3_bucket.b.arn}uploads/*`, /only a path/],
  ])('refuses %s', (arn, message) => {
    expect(arnProblem(arn)).toMatch(message);
  });

  it('keeps a Terraform reference with colons inside it as one field', () => {
    expect(arnFields(`arn:aws:ssm:\${lookup(m, "a:b")}:1:p`)).toEqual([
      'arn',
      'aws',
      'ssm',
      `\${lookup(m, "a:b")}`,
      '1',
      'p',
    ]);
  });
});

describe('policy documents', () => {
  const policy = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

  it('checks Resource, NotResource and AWS / Federated principals', () => {
    const bad = `arn:aws:iam::$\${aws:PrincipalAccount}:role/x`;
    expect(
      policyDocumentProblems(policy({ Effect: 'Allow', Action: 'iam:GetRole', Resource: bad })),
    ).toHaveLength(1);
    expect(
      policyDocumentProblems(policy({ Effect: 'Deny', Action: 's3:*', NotResource: [bad, '*'] })),
    ).toHaveLength(1);
    expect(
      policyDocumentProblems(policy({ Effect: 'Allow', Principal: { AWS: bad }, Action: 'sts:AssumeRole' })),
    ).toHaveLength(1);
    expect(
      policyDocumentProblems(
        policy({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
      ),
    ).toEqual([]);
  });

  it('checks aws_iam_policy_document statement blocks', () => {
    expect(
      policyDocumentProblems({
        statement: [
          {
            actions: ['ssm:GetParameter'],
            resources: [`arn:aws:ssm:eu-west-1:$\${aws:PrincipalAccount}:parameter/x`],
          },
        ],
      }),
    ).toEqual([expect.stringMatching(/account field/)]);
  });

  it('finds policies in every resource attribute and data source, nested or not', () => {
    const json = {
      resource: {
        aws_iam_role_policy: { p: { policy: policy({ Resource: 'arn:aws:s3:::b' }) } },
        aws_iam_role: {
          r: { assume_role_policy: policy({}), inline_policy: [{ name: 'i', policy: policy({}) }] },
        },
        aws_sqs_queue_policy: { q: { policy: policy({}) } },
      },
      data: { aws_iam_policy_document: { d: { statement: [] } } },
    };
    expect(stackPolicies(json).map((p) => p.where)).toEqual([
      'aws_iam_role_policy.p.policy',
      'aws_iam_role.r.assume_role_policy',
      'aws_iam_role.r.inline_policy[0].policy',
      'aws_sqs_queue_policy.q.policy',
      'data.aws_iam_policy_document.d',
    ]);
    expect(
      arnProblems([
        {
          name: 'snapstack-dev-x',
          json: {
            resource: {
              aws_iam_policy: { p: { policy: policy({ Resource: 'arn:aws:sqs:eu-west-1:12:q' }) } },
            },
          },
        },
      ]),
    ).toEqual([expect.stringMatching(/^snapstack-dev-x: aws_iam_policy\.p\.policy: .*account field "12"/)]);
  });
});
