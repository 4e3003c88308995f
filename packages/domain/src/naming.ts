/**
 * The one place resource names are made, so infra and the local runner agree.
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
