import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js';
import { type App, Testing } from 'cdktf';
import { arnProblems } from '../../test/arn-rules.js';
import { stageConfig } from '../config.js';
import { deployerStatements } from '../iam/deployer-statements.js';
import { policyJson, STAR_RESOURCE_ACTIONS } from '../iam/policy.js';
import { BootstrapStack } from './bootstrap-stack.js';

describe('BootstrapStack', () => {
  const config = stageConfig('dev');
  const stack = new BootstrapStack(Testing.app() as App, {
    config,
    options: { backend: 'local', artifactsDir: '/nonexistent' },
  });
  const synthesized = Testing.synth(stack);
  const json = JSON.parse(synthesized);

  it('creates the GitHub OIDC provider for sts.amazonaws.com', () => {
    expect(synthesized).toHaveResourceWithProperties(IamOpenidConnectProvider, {
      url: 'https://token.actions.githubusercontent.com',
      client_id_list: ['sts.amazonaws.com'],
    });
  });

  it('lets only this repository, in the stage environment, assume the deploy role', () => {
    const role = Object.values(
      json.resource.aws_iam_role as Record<string, { name: string; assume_role_policy: string }>,
    ).find((r) => r.name === 'snapstack-dev-deploy')!;
    const [statement] = JSON.parse(role.assume_role_policy).Statement;
    expect(statement.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(statement.Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': `repo:${config.github.owner}/${config.github.repo}:environment:dev`,
      },
    });
  });

  it("grants the deployer exact actions on this stage's names only", () => {
    const statements = deployerStatements(config, '123456789012');
    expect(() => policyJson(statements)).not.toThrow();
    for (const s of statements) {
      for (const r of s.resources) {
        // "*" only for the justified actions, with their conditions (policyJson checks those).
        if (r === '*')
          expect(
            s.actions.filter((a) => !(a in STAR_RESOURCE_ACTIONS)),
            s.sid,
          ).toEqual([]);
        else if (s.sid === 'EventSourceMappings') expect(s.conditions).toBeDefined();
        else if (s.sid === 'LogGroupsDescribe') expect(s.actions).toEqual(['logs:DescribeLogGroups']);
        // Random ids: API Gateway's, CloudFront's and Cognito's collections in the stage's account.
        else
          expect(r).toMatch(
            /snapstack-dev-|^arn:aws:apigateway:eu-west-1::\/|^arn:aws:cloudfront::123456789012:[a-z-]+\/\*$|^arn:aws:cognito-idp:eu-west-1:123456789012:userpool\/\*$/,
          );
      }
    }
    expect(statements.find((s) => s.sid === 'PassRolesToServices')?.conditions).toEqual({
      StringEquals: {
        'iam:PassedToService': [
          'lambda.amazonaws.com',
          'apigateway.amazonaws.com',
          'scheduler.amazonaws.com',
        ],
      },
    });
    // The creates that name no resource yet are held to the stage's tag.
    for (const sid of ['UserPoolCreate'])
      expect(statements.find((s) => s.sid === sid)?.conditions).toEqual({
        StringEquals: { 'aws:RequestTag/stage': 'dev' },
      });
  });

  it("writes the deploy role's own account into its ARNs, never a policy variable", () => {
    expect(json.data.aws_arn['deploy-account']).toEqual({ arn: `\${aws_iam_role.deploy-role.arn}` });
    const policy = JSON.parse(json.resource.aws_iam_role_policy['deploy-policy'].policy);
    const functions = policy.Statement.find((s: { Sid?: string }) => s.Sid === 'Functions');
    expect(functions.Resource).toBe(
      `arn:aws:lambda:eu-west-1:\${data.aws_arn.deploy-account.account}:function:snapstack-dev-*`,
    );
    expect(arnProblems([{ name: 'bootstrap', json }])).toEqual([]);
  });

  it('looks the OIDC provider up in a stage that does not own the account resources', () => {
    const staging = new BootstrapStack(Testing.app() as App, {
      config: stageConfig('staging'),
      options: { backend: 'local', artifactsDir: '/nonexistent' },
    });
    const out = JSON.parse(Testing.synth(staging));
    expect(out.resource.aws_iam_openid_connect_provider).toBeUndefined();
    expect(out.data.aws_iam_openid_connect_provider).toBeDefined();
  });
});
