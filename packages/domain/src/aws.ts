/**
 * AWS SDK v3 client configuration shared by every function.
 *
 * In AWS nothing is overridden. Locally the runner sets the SDK's own per-service endpoint
 * variables (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_S3`, ...) or `AWS_ENDPOINT_URL`;
 * when one is present we add the settings the npm emulators need: path-style S3 addressing
 * and checksums only when an operation requires them (otherwise the SDK sends aws-chunked
 * bodies some emulators store verbatim). With an override, static credentials from the same
 * environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`) are passed too: the local runner
 * gives each function its own environment object, which the SDK's default credential chain
 * (reading the process's) would not see. In AWS there is no override, so nothing changes.
 *
 * @example
 * const s3 = new S3Client(awsClientConfig('s3'));
 */
/** The account and region the local runner and its emulators present (ARNs, queue URLs, events). */
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_REGION = 'us-east-1';

export type AwsService = 'dynamodb' | 's3' | 'sqs' | 'ssm' | 'secretsmanager' | 'lambda';

export interface AwsClientConfig {
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  requestChecksumCalculation?: 'WHEN_REQUIRED' | 'WHEN_SUPPORTED';
  responseChecksumValidation?: 'WHEN_REQUIRED' | 'WHEN_SUPPORTED';
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function endpointOverride(
  service: AwsService,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  return env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] || env.AWS_ENDPOINT_URL || undefined;
}

export function awsClientConfig(service: AwsService, env: NodeJS.ProcessEnv = process.env): AwsClientConfig {
  const endpoint = endpointOverride(service, env);
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!endpoint) return region ? { region } : {};
  return {
    region: region ?? LOCAL_REGION,
    endpoint,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY } }
      : {}),
  };
}
