import { CognitoResourceServer } from '@cdktf/provider-aws/lib/cognito-resource-server/index.js';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool/index.js';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client/index.js';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain/index.js';
import type { UserPoolEndpoints } from '@snapstack/domain/issuers';
import { TerraformOutput, Testing } from 'cdktf';
import type { TerraformJson } from '../../../test/synthesized.js';
import { SignIn, type SignInProps } from './sign-in.js';
import { MIN_PASSWORD_LENGTH } from './user-pool.js';

const props: SignInProps = {
  name: 'snapstack-test',
  region: 'eu-west-1',
  domainPrefix: 'snapstack-test-123456789012',
  resourceServer: {
    identifier: 'snapstack',
    scopes: [
      { name: 'images:write', description: 'Calls POST /uploads' },
      { name: 'users:write', description: 'Calls POST /users' },
    ],
  },
  callbackUrls: ['http://localhost:5173/'],
  logoutUrls: ['http://localhost:5173/'],
  deletionProtection: false,
};

function synth(overrides: Partial<SignInProps> = {}): { json: TerraformJson; endpoints: TerraformJson } {
  let endpoints: UserPoolEndpoints | undefined;
  const json = JSON.parse(
    Testing.synthScope((scope) => {
      const signIn = new SignIn(scope, 'sign-in', { ...props, ...overrides });
      // Outputs resolve the endpoints' tokens to the Terraform expressions they stand for.
      new TerraformOutput(scope, 'issuer', { value: signIn.endpoints.issuer });
      new TerraformOutput(scope, 'jwks', { value: signIn.endpoints.jwksUrl });
      new TerraformOutput(scope, 'client', { value: signIn.endpoints.clientId });
      new TerraformOutput(scope, 'login', { value: signIn.loginDomain });
      endpoints = signIn.endpoints;
    }),
  );
  expect(endpoints).toBeDefined();
  return { json, endpoints: json.output };
}

const only = (json: TerraformJson, type: string): [string, TerraformJson] => {
  const entries = Object.entries((json.resource?.[type] ?? {}) as Record<string, TerraformJson>);
  expect(entries, type).toHaveLength(1);
  return entries[0]!;
};

describe('SignIn', () => {
  const { json, endpoints } = synth();
  const [poolKey, pool] = only(json, CognitoUserPool.tfResourceType);
  const [clientKey, client] = only(json, CognitoUserPoolClient.tfResourceType);
  const [serverKey, server] = only(json, CognitoResourceServer.tfResourceType);

  it('signs people in by email, verified by code, with self sign-up', () => {
    expect(pool).toMatchObject({
      name: 'snapstack-test-users',
      username_attributes: ['email'],
      username_configuration: { case_sensitive: false },
      auto_verified_attributes: ['email'],
      admin_create_user_config: { allow_admin_create_user_only: false },
      verification_message_template: { default_email_option: 'CONFIRM_WITH_CODE' },
      account_recovery_setting: { recovery_mechanism: [{ name: 'verified_email', priority: 1 }] },
    });
    expect(pool.alias_attributes).toBeUndefined();
  });

  it('demands strong passwords and offers TOTP MFA without forcing it', () => {
    expect(pool.password_policy).toEqual({
      minimum_length: MIN_PASSWORD_LENGTH,
      require_lowercase: true,
      require_uppercase: true,
      require_numbers: true,
      require_symbols: true,
      temporary_password_validity_days: 7,
    });
    expect(MIN_PASSWORD_LENGTH).toBeGreaterThanOrEqual(8);
    expect(pool.mfa_configuration).toBe('OPTIONAL');
    expect(pool.software_token_mfa_configuration).toEqual({ enabled: true });
  });

  it.each([
    [true, 'ACTIVE'],
    [false, 'INACTIVE'],
  ])('sets deletion protection %s as %s', (deletionProtection, expected) => {
    const [, protectedPool] = only(synth({ deletionProtection }).json, CognitoUserPool.tfResourceType);
    expect(protectedPool.deletion_protection).toBe(expected);
  });

  it('has one public client: no secret, the code grant only, no password flows', () => {
    expect(client).toMatchObject({
      user_pool_id: `\${aws_cognito_user_pool.${poolKey}.id}`,
      generate_secret: false,
      allowed_oauth_flows_user_pool_client: true,
      allowed_oauth_flows: ['code'],
      supported_identity_providers: ['COGNITO'],
      explicit_auth_flows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      prevent_user_existence_errors: 'ENABLED',
      enable_token_revocation: true,
      callback_urls: props.callbackUrls,
      logout_urls: props.logoutUrls,
    });
    expect(client.depends_on).toContain(`aws_cognito_resource_server.${serverKey}`);
  });

  it("offers the resource server's scopes, each granted to the client with its prefix", () => {
    expect(server).toMatchObject({
      identifier: 'snapstack',
      user_pool_id: `\${aws_cognito_user_pool.${poolKey}.id}`,
      scope: props.resourceServer.scopes.map((s) => ({
        scope_name: s.name,
        scope_description: s.description,
      })),
    });
    expect(client.allowed_oauth_scopes).toEqual([
      'openid',
      'email',
      'snapstack/images:write',
      'snapstack/users:write',
    ]);
  });

  it('has a managed login domain with the given prefix, and names the issuer the tokens carry', () => {
    const [, domain] = only(json, CognitoUserPoolDomain.tfResourceType);
    expect(domain).toMatchObject({
      domain: props.domainPrefix,
      user_pool_id: `\${aws_cognito_user_pool.${poolKey}.id}`,
    });
    const issuer = `https://\${aws_cognito_user_pool.${poolKey}.endpoint}`;
    expect(endpoints.issuer.value).toBe(issuer);
    expect(endpoints.jwks.value).toBe(`${issuer}/.well-known/jwks.json`);
    expect(endpoints.client.value).toBe(`\${aws_cognito_user_pool_client.${clientKey}.id}`);
    expect(endpoints.login.value).toMatch(
      /^\$\{aws_cognito_user_pool_domain\.[^.]+\.domain\}\.auth\.eu-west-1\.amazoncognito\.com$/,
    );
  });
});
