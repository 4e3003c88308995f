/**
 * Physical names of AWS resources, so infra and the local runner agree: a stage's resources
 * (`resourceName`) and the few account-wide ones every stage shares (`accountResourceName`).
 * SSM parameter paths are made by `parameterName` (parameters.ts) from the same app name.
 *
 * @example
 * resourceName('dev', 'users') // "snapstack-dev-users"
 */
export const APP_NAME = 'snapstack';

export function resourceName(stage: string, ...parts: readonly string[]): string {
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(stage)) {
    throw new Error(`stage must be lower-case letters, digits or dashes (1-16 chars), got "${stage}"`);
  }
  return [APP_NAME, stage, ...parts].join('-');
}

/** A resource of the AWS account rather than of one stage (one per account, e.g. a service role). */
export function accountResourceName(...parts: readonly string[]): string {
  return [APP_NAME, ...parts].join('-');
}
