/**
 * SSM Parameter Store parameters: infra creates them (SecureString) and grants reads from
 * these definitions; functions receive the name through `envVar` and read the value through a
 * cached parameters client, never from code or plain environment values.
 *
 * @example
 * parameterName('prod', 'jwtSecret') // "/snapstack/prod/auth/jwt-secret"
 */
import { APP_NAME } from './naming.js';

export interface ParameterDefinition {
  readonly id: string;
  /** Path under `/<app>/<stage>/`. */
  readonly path: string;
  /** The environment variable through which functions receive the parameter's name. */
  readonly envVar: string;
  readonly secure: boolean;
  readonly description: string;
}

export const parameters = {
  jwtSecret: {
    id: 'jwtSecret',
    path: 'auth/jwt-secret',
    envVar: 'AUTH_JWT_SECRET_PARAMETER',
    secure: true,
    description: 'HS256 signing secret of the shared-secret token issuer (at least 32 bytes)',
  },
} as const satisfies Record<string, ParameterDefinition>;

export type ParameterId = keyof typeof parameters;

export function parameterName(stage: string, id: ParameterId): string {
  return `/${APP_NAME}/${stage}/${parameters[id].path}`;
}

/**
 * The AWS Parameters and Secrets Lambda Extension: infra attaches its layer to every function
 * whose catalog access reads a parameter and sets `portEnvVar` to `port` (the variable the
 * extension listens on); a function reads parameters through it whenever the variable is set.
 * The local runner sets neither, so local functions take their secrets from their environment.
 */
export const parametersExtension = {
  portEnvVar: 'PARAMETERS_SECRETS_EXTENSION_HTTP_PORT',
  /** The extension's default port. */
  port: 2773,
} as const;
