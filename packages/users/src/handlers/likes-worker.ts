import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { likeRepository, logger, userRepository } from '../config.js';
import { makeApplyLike, parseLikeMessage } from '../use-cases/likes.js';

const metrics = new Metrics({ namespace: 'Snapstack', serviceName: 'users' });
const processor = new BatchProcessor(EventType.SQS);
const applyLike = makeApplyLike(
  userRepository,
  likeRepository(),
  {
    dropped: (reason) =>
      metrics.addMetric(
        reason === 'unknown-user' ? 'LikesDroppedUnknownUser' : 'LikesDropped',
        MetricUnit.Count,
        1,
      ),
  },
  logger,
);

const recordHandler = async (record: SQSRecord) => {
  try {
    return await applyLike(parseLikeMessage(record.body));
  } catch (error) {
    const receives = record.attributes.ApproximateReceiveCount;
    logger.error('like failed; SQS will redeliver it', {
      messageId: record.messageId,
      receives,
      error: error as Error,
    });
    throw error;
  }
};

/** SQS event source, partial batch failures: a failed record is retried alone, then dead-lettered. */
export const handler = async (event: SQSEvent, context: Context) => {
  logger.addContext(context);
  try {
    return await processPartialResponse(event, recordHandler, processor, { context });
  } finally {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }
};
