/**
 * The runner's S3: the emulator started with the domain's bucket definitions, its
 * notifications written ahead to a journal and delivered as asynchronous invokes.
 *
 * Write-ahead: s3rver emits an object's event after storing it and before its response is
 * sent, and the journal writes synchronously in that listener, so a PUT (or POST, copy,
 * multipart completion) is acknowledged only once its event is on disk. The event leaves the
 * journal when the function handled it (or its failure reached the on-failure queue); after a
 * crash, `connect()` redelivers whatever is left — at least once, as S3 does.
 */
import path from 'node:path';
import { type BucketId, buckets } from '@snapstack/domain/buckets';
import { bucketNotifications, type FunctionId } from '@snapstack/domain/functions';
import { resourceName } from '@snapstack/domain/naming';
import type { S3Event } from 'aws-lambda';
import { startS3 } from '../emulators/s3.js';
import { EventJournal } from '../lambda/event-journal.js';

/** Where a notification goes: an async invoke. `onHandled` removes it from the journal. */
export type DeliverS3Event = (
  functionId: FunctionId,
  event: S3Event,
  options: { readonly receivedAt: number; readonly onHandled: () => void },
) => void;

export interface ImageStorage {
  readonly endpoint: string;
  readonly bucketNames: Readonly<Record<BucketId, string>>;
  /**
   * Starts delivery: first every journalled event not yet handled (oldest first), then each
   * new one. Events that arrive before this wait in the journal.
   */
  connect(deliver: DeliverS3Event): void;
  close(): Promise<void>;
}

/** The journal's directory, beside s3rver's objects so the two are kept and wiped together. */
export const S3_EVENTS_DIR = 's3-events';

export async function startImageStorage(options: {
  stage: string;
  dataDir: string | undefined;
  port?: number;
  log?: (line: string) => void;
}): Promise<ImageStorage> {
  const definitions = Object.values(buckets);
  const bucketNames = Object.fromEntries(
    definitions.map((b) => [b.id, resourceName(options.stage, b.id)]),
  ) as Record<BucketId, string>;
  const journal = new EventJournal(
    options.dataDir ? path.join(options.dataDir, S3_EVENTS_DIR) : undefined,
    options.log,
  );
  let deliver: DeliverS3Event | undefined;
  const send = (entry: ReturnType<EventJournal['append']>) =>
    deliver?.(entry.functionId as FunctionId, entry.event as S3Event, {
      receivedAt: entry.receivedAt,
      onHandled: () => journal.remove(entry.id),
    });
  const s3 = await startS3({
    ...(options.dataDir ? { directory: path.join(options.dataDir, 's3') } : {}),
    port: options.port ?? 0,
    buckets: definitions.map((definition) => ({
      name: bucketNames[definition.id],
      notifications: bucketNotifications(definition.id),
    })),
    deliver: (notification, event) => send(journal.append(notification.function, event)),
  });
  return {
    endpoint: s3.endpoint,
    bucketNames,
    connect(target) {
      deliver = target;
      const backlog = journal.entries();
      if (backlog.length > 0) options.log?.(`redelivering ${backlog.length} S3 event(s) not yet handled`);
      for (const entry of backlog) send(entry);
    },
    close: () => s3.close(),
  };
}
