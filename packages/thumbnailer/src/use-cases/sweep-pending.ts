/**
 * The pending-image sweeper: nothing accepted stays `pending` forever.
 *
 * S3 delivers event notifications at least once, but a lost or exhausted one (a crash, a
 * thumbnailer outage longer than Lambda's async retries) leaves an image `pending` with its
 * original in the bucket; a presigned upload that never happens leaves it `pending` with no
 * original. Every run, for each image pending long enough:
 * - original present: re-drive it (the thumbnailer processes it as if its event came again; its
 *   processing is idempotent on the original's ETag), at most `maxRedrives` times, then mark it
 *   `failed` — by then the thumbnailer's failure queue holds every attempt's event;
 * - no original and its upload can no longer come (the presigned POST's expiry, or the direct
 *   upload's creation, plus a grace for uploads in progress and late events): mark it `expired`.
 * Every write is conditional on the image still being `pending`, so a sweep racing the
 * thumbnailer never overwrites `ready` (a late upload of an expired image cannot happen: S3
 * refuses a POST whose policy expired).
 */
import type {
  OriginalIndex,
  PendingImage,
  PendingImages,
  Redriver,
  SweepSettings,
} from '../sweeper-ports.js';

export interface SweepReport {
  readonly examined: number;
  readonly redriven: number;
  readonly expired: number;
  readonly failed: number;
  /** Left alone this run: too recent to act on, or it left `pending` meanwhile. */
  readonly waiting: number;
  readonly errors: number;
}

export interface SweepLog {
  info(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

type Outcome = 'redriven' | 'expired' | 'failed' | 'waiting';

const seconds = (from: string, to: Date) => (to.getTime() - Date.parse(from)) / 1000;

export function makeSweepPending(deps: {
  images: PendingImages;
  originals: OriginalIndex;
  redriver: Redriver;
  now: () => Date;
  settings: SweepSettings;
  log: SweepLog;
}) {
  const { images, originals, redriver, settings, log } = deps;

  async function sweepOne(image: PendingImage, now: Date): Promise<Outcome> {
    const at = now.toISOString();
    if (await originals.exists(image.originalKey)) {
      const waited = seconds(image.lastRedriveAt ?? image.pendingSince, now);
      if (waited < settings.redriveAfterSeconds) return 'waiting';
      const count = image.redriveCount ?? 0;
      if (count >= settings.maxRedrives) {
        const reason = `processing did not finish after ${count} re-drive(s); the thumbnailer's failure queue has the attempts`;
        return (await images.markFailed(image.imageId, reason, at)) ? 'failed' : 'waiting';
      }
      await redriver.redrive(image);
      await images.recordRedrive(image.imageId, at, count + 1);
      return 'redriven';
    }
    const lastChance = image.uploadExpiresAt ?? image.createdAt;
    if (seconds(lastChance, now) < settings.expireGraceSeconds) return 'waiting';
    const reason = image.uploadExpiresAt
      ? `the upload URL expired at ${image.uploadExpiresAt} and no original arrived`
      : 'no original arrived with the upload';
    return (await images.markExpired(image.imageId, reason, at)) ? 'expired' : 'waiting';
  }

  return async (): Promise<SweepReport> => {
    const now = deps.now();
    const counts = { examined: 0, redriven: 0, expired: 0, failed: 0, waiting: 0, errors: 0 };
    // Nothing younger than the smaller age can need either action.
    const minAge = Math.min(settings.redriveAfterSeconds, settings.expireGraceSeconds);
    const cutoff = new Date(now.getTime() - minAge * 1000).toISOString();
    for await (const page of images.listPendingSince(cutoff)) {
      for (const image of page) {
        counts.examined++;
        try {
          const outcome = await sweepOne(image, now);
          counts[outcome]++;
          if (outcome !== 'waiting') log.info('swept a pending image', { imageId: image.imageId, outcome });
        } catch (error) {
          // One image's trouble (throttling, a transient S3 error) must not stop the others.
          counts.errors++;
          log.error('could not sweep a pending image', { imageId: image.imageId, error: String(error) });
        }
      }
    }
    return counts;
  };
}
