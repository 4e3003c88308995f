import { describe, expect, it } from 'vitest';
import { type BucketId, buckets, imagePrefixes, notificationMatches } from './buckets.js';
import { bucketNotifications, type FunctionAccess, functions } from './functions.js';
import { routes } from './routes.js';

describe('bucket definitions', () => {
  it('notify only functions of the catalog that declare their async-invoke settings', () => {
    for (const bucket of Object.values(buckets)) {
      for (const notification of bucketNotifications(bucket.id)) {
        const fn = functions[notification.function];
        expect(fn, notification.function).toBeDefined();
        expect(fn).toHaveProperty('asyncInvoke.onFailureQueue');
      }
    }
  });

  it('never let a notified function write where its own notification watches (no loops)', () => {
    for (const bucketId of Object.keys(buckets) as BucketId[]) {
      for (const notification of bucketNotifications(bucketId)) {
        const access: FunctionAccess = functions[notification.function].access;
        const grants = access.s3?.[bucketId as BucketId] ?? [];
        const writes = grants.filter((g) => g.actions.includes('s3:PutObject'));
        for (const write of writes) {
          expect(write.prefix.startsWith(notification.filterPrefix ?? '')).toBe(false);
          expect((notification.filterPrefix ?? '').startsWith(write.prefix)).toBe(false);
        }
      }
    }
  });

  it('matches created objects under the watched prefix only', () => {
    const [notification] = bucketNotifications('images');
    if (!notification) throw new Error('the images bucket notifies no function');
    expect(notificationMatches(notification, 'ObjectCreated:Put', `${imagePrefixes.uploads}a.jpg`)).toBe(
      true,
    );
    expect(notificationMatches(notification, 'ObjectCreated:CompleteMultipartUpload', 'uploads/a')).toBe(
      true,
    );
    expect(
      notificationMatches(notification, 'ObjectCreated:Put', `${imagePrefixes.thumbnails}a/128.jpg`),
    ).toBe(false);
    expect(notificationMatches(notification, 'ObjectRemoved:Delete', 'uploads/a.jpg')).toBe(false);
  });
});

describe('image routes', () => {
  it('declare the auth issue 3 asks for', () => {
    const auth = (method: string, path: string) =>
      routes.find((r) => r.method === method && r.path === path)?.auth;
    expect(auth('POST', '/upload')).toEqual({ kind: 'jwt', scopes: ['images:write'] });
    expect(auth('POST', '/uploads')).toEqual({ kind: 'jwt', scopes: ['images:write'] });
    expect(auth('POST', '/process')).toEqual({ kind: 'jwt', scopes: ['images:write'] });
    expect(auth('GET', '/metadata/{image_id}')).toEqual({ kind: 'apiKey' });
  });
});
