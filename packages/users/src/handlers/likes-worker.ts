import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { likeRepository, logger, userRepository } from '../config.js';
import type { LikeDropReason, LikesTelemetry } from '../ports.js';
import { makeApplyLike, makeHandleLikeBody } from '../use-cases/likes.js';

const metrics = new Metrics({ namespace: 'Snapstack', serviceName: 'users' });
const processor = new BatchProcessor(EventType.SQS);
const DROP_METRICS: Record<LikeDropReason, string> = {
  'invalid-message': 'LikesDroppedInvalidMessage',
  'unknown-user': 'LikesDroppedUnknownUser',
};
const telemetry: LikesTelemetry = {
  dropped: (reason) => metrics.addMetric(DROP_METRICS[reason], MetricUnit.Count, 1),
};
const handleLikeBody = makeHandleLikeBody(
  makeApplyLike(userRepository, likeRepository(), telemetry, logger),
  telemetry,
  logger,
);

const recordHandler = async (record: SQSRecord) => {
  try {
    return await handleLikeBody(record.body);
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

/**
 * SQS event source, partial batch failures: a failed (transient) record is retried alone, then
 * dead-lettered; a dropped (permanent) one succeeds, so SQS deletes it.
 */
export const handler = async (event: SQSEvent, context: Context) => {
  logger.addContext(context);
  try {
    return await processPartialResponse(event, recordHandler, processor, { context });
  } finally {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }
};
