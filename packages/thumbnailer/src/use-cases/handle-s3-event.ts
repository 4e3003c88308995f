/**
 * The thumbnailer's event loop: every record of an S3 notification batch, keys decoded as S3
 * encodes them in events (form-encoding: `+` is a space, then percent-escapes).
 */
import type { S3Event } from 'aws-lambda';
import { imageIdOfKey } from '../keys.js';
import type { ProcessOutcome } from './process-image.js';

/** `photos/my+cat%C3%A9.jpg` -> `photos/my caté.jpg`. */
export function decodeS3EventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

export interface RecordResult {
  readonly key: string;
  readonly outcome: ProcessOutcome['kind'] | 'refused';
  readonly status?: string;
}

export interface EventLog {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

export function makeHandleS3Event(
  processImage: (imageId: string) => Promise<ProcessOutcome>,
  bucketName: string,
  log: EventLog,
) {
  return async (event: S3Event): Promise<RecordResult[]> => {
    const results: RecordResult[] = [];
    const transient: unknown[] = [];
    for (const record of event.Records ?? []) {
      const key = decodeS3EventKey(record.s3.object.key);
      if (record.s3.bucket.name !== bucketName || !record.eventName.startsWith('ObjectCreated:')) {
        log.warn('ignoring a record for another bucket or event', { bucket: record.s3.bucket.name, key });
        results.push({ key, outcome: 'refused' });
        continue;
      }
      let imageId: string;
      try {
        imageId = imageIdOfKey(key);
      } catch (error) {
        // Never process (or write next to) anything outside the watched prefix: no loops.
        log.error('refusing a key outside the watched prefix', { key, error: String(error) });
        results.push({ key, outcome: 'refused' });
        continue;
      }
      try {
        const outcome = await processImage(imageId);
        const status = 'image' in outcome ? outcome.image.status : undefined;
        log.info('record processed', { key, outcome: outcome.kind, status });
        results.push({ key, outcome: outcome.kind, ...(status ? { status } : {}) });
      } catch (error) {
        log.error('record failed transiently; the batch will be retried', { key, error: String(error) });
        transient.push(error);
      }
    }
    // Processing is idempotent, so retrying the whole batch redoes only what failed.
    if (transient.length > 0) throw new AggregateError(transient, `${transient.length} record(s) failed`);
    return results;
  };
}
