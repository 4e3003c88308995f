/**
 * A Cognito user pool people sign up to and sign in with by email: the email is the username
 * (case-insensitive), self sign-up confirms it with a code before the account can sign in,
 * passwords follow a strict policy, TOTP MFA is offered (optional), and recovery goes through the
 * verified email only.
 *
 * @example
 * const pool = createUserPool(this, 'users', { name: 'snapstack-dev-users', deletionProtection: false });
 */
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool/index.js';
import type { Construct } from 'constructs';

export interface UserPoolProps {
  readonly name: string;
  /** Refuse to delete the pool (and its users) until this is turned off. */
  readonly deletionProtection: boolean;
}

/** Minimum password length: NIST SP 800-63B asks for at least 8; 12 with classes is common practice. */
export const MIN_PASSWORD_LENGTH = 12;

export function createUserPool(scope: Construct, id: string, props: UserPoolProps): CognitoUserPool {
  return new CognitoUserPool(scope, id, {
    name: props.name,
    usernameAttributes: ['email'],
    usernameConfiguration: { caseSensitive: false },
    autoVerifiedAttributes: ['email'],
    // Anyone may sign up; the account stays unconfirmed until the emailed code comes back.
    adminCreateUserConfig: { allowAdminCreateUserOnly: false },
    verificationMessageTemplate: { defaultEmailOption: 'CONFIRM_WITH_CODE' },
    // A changed email stays unused for sign-in until the new address is verified.
    userAttributeUpdateSettings: { attributesRequireVerificationBeforeUpdate: ['email'] },
    passwordPolicy: {
      minimumLength: MIN_PASSWORD_LENGTH,
      requireLowercase: true,
      requireUppercase: true,
      requireNumbers: true,
      requireSymbols: true,
      temporaryPasswordValidityDays: 7,
    },
    mfaConfiguration: 'OPTIONAL',
    softwareTokenMfaConfiguration: { enabled: true },
    accountRecoverySetting: { recoveryMechanism: [{ name: 'verified_email', priority: 1 }] },
    // Cognito's own sender: 50 emails a day per account. A real audience needs SES (docs/delivery-and-sign-in.md).
    emailConfiguration: { emailSendingAccount: 'COGNITO_DEFAULT' },
    deletionProtection: props.deletionProtection ? 'ACTIVE' : 'INACTIVE',
  });
}
