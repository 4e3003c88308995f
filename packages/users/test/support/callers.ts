/**
 * The likes tests' requests, each with a real dev token for its caller (`app.as(sub)`): the
 * local gateway runs the real authorizer, whose `sub` becomes the liker.
 */
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { TestResponse, TestRunner } from '@snapstack/local/testing';

export const likeAs = async (app: TestRunner, sub: string, userId: string): Promise<TestResponse> =>
  app.request('POST', `/users/${encodeURIComponent(userId)}/likes`, { headers: await app.as(sub) });

export const unlikeAs = async (app: TestRunner, sub: string, userId: string): Promise<TestResponse> =>
  app.request('DELETE', `/users/${encodeURIComponent(userId)}/likes`, { headers: await app.as(sub) });

let created = 0;
/** Creates a fresh user (as an admin caller) and returns its id. */
export async function createUser(app: TestRunner): Promise<string> {
  created++;
  const res = await app.request('POST', '/users', {
    json: { name: `Liked ${created}`, age: 30, email: `liked${created}@example.com` },
  });
  if (res.status !== 201) throw new Error(`creating a user failed: ${res.status} ${res.text}`);
  return res.body.id as string;
}

export async function likesOf(app: TestRunner, userId: string): Promise<number> {
  const res = await app.request('GET', `/users/${userId}`);
  if (res.status !== 200) throw new Error(`GET /users/${userId}: ${res.status}`);
  return res.body.likes as number;
}

/** Messages in a likes queue, visible or in flight (SQS's two approximate counts). */
export async function queueDepth(
  sqs: SQSClient,
  app: TestRunner,
  queue: 'likes' | 'likes-dlq',
): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: app.queueUrls[queue],
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  );
}
