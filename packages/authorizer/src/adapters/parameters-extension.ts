/**
 * SSM parameters through the AWS Parameters and Secrets Lambda Extension: a layer whose process
 * runs beside the function and answers GetParameter over HTTP on localhost, authenticated with
 * the function's own session token, caching values itself. Reading the JWT secret this way keeps
 * the SSM client, its credential chain and Powertools Parameters out of the authorizer's cold
 * start: a `node:http` GET to localhost is all the function loads.
 *
 * The extension is in use when `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT` is set. Lambda does not
 * set it; infra sets it together with the layer (domain `parametersExtension`), so the variable
 * is the one fact that says the extension is attached (the extension listens where it says).
 *
 * @example
 * const endpoint = extensionEndpoint(process.env); // undefined without the extension
 * if (endpoint) await readParameter('/snapstack/prod/auth/jwt-secret', endpoint);
 */
import { request } from 'node:http';
import { parametersExtension } from '@snapstack/domain/parameters';

export const EXTENSION_PORT_ENV = parametersExtension.portEnvVar;
/** The extension refuses a request without the caller's session token in this header. */
export const EXTENSION_TOKEN_HEADER = 'X-Aws-Parameters-Secrets-Token';
/** The extension's documented path for a Parameter Store read. */
export const EXTENSION_PARAMETER_PATH = '/systemsmanager/parameters/get';

export interface ExtensionEndpoint {
  readonly host: string;
  readonly port: number;
  /** The function's AWS_SESSION_TOKEN. */
  readonly token: string;
}

/** Where the extension listens, when infra attached it; undefined otherwise. */
export function extensionEndpoint(env: NodeJS.ProcessEnv): ExtensionEndpoint | undefined {
  const raw = env[EXTENSION_PORT_ENV];
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error(`${EXTENSION_PORT_ENV} must be a TCP port, got "${raw}"`);
  const token = env.AWS_SESSION_TOKEN;
  if (!token)
    throw new Error(`${EXTENSION_PORT_ENV} is set but AWS_SESSION_TOKEN is not: the extension needs it`);
  return { host: 'localhost', port, token };
}

/** One SecureString (decrypted) from the extension; an error naming the status when it refuses. */
export function readParameter(name: string, endpoint: ExtensionEndpoint): Promise<string> {
  const path = `${EXTENSION_PARAMETER_PATH}?name=${encodeURIComponent(name)}&withDecryption=true`;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: endpoint.host,
        port: endpoint.port,
        path,
        headers: { [EXTENSION_TOKEN_HEADER]: endpoint.token },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => {
          if (res.statusCode !== 200) {
            reject(
              new Error(
                `the parameters extension answered ${res.statusCode} for ${name}: ${body.slice(0, 200)}`,
              ),
            );
            return;
          }
          try {
            const value = (JSON.parse(body) as { Parameter?: { Value?: unknown } }).Parameter?.Value;
            if (typeof value !== 'string') throw new Error(`SSM parameter ${name} has no value`);
            resolve(value);
          } catch (error) {
            reject(error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
