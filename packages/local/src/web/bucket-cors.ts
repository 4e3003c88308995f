/**
 * The images bucket's CORS (domain `imagesBucketCorsRules`), set through the same S3 call as in
 * AWS (`PutBucketCors`), where infra sets the same rules on the stage's bucket.
 */
import { PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import { imagesBucketCorsRules } from '@snapstack/domain/delivery';
import { localClientConfig } from '../emulators/support.js';

export async function allowBrowserAccess(
  s3Endpoint: string,
  bucket: string,
  origins: readonly string[],
): Promise<void> {
  const s3 = new S3Client(localClientConfig(s3Endpoint));
  try {
    await s3.send(
      new PutBucketCorsCommand({
        Bucket: bucket,
        CORSConfiguration: {
          CORSRules: imagesBucketCorsRules(origins).map((rule) => ({
            AllowedOrigins: [...rule.allowedOrigins],
            AllowedMethods: [...rule.allowedMethods],
            ...(rule.allowedHeaders ? { AllowedHeaders: [...rule.allowedHeaders] } : {}),
            MaxAgeSeconds: rule.maxAgeSeconds,
          })),
        },
      }),
    );
  } finally {
    s3.destroy();
  }
}
