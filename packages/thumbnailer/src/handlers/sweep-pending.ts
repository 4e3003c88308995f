import { createLogger } from '@snapstack/domain/logger';
import type { Context } from 'aws-lambda';
import { createSweepDeps } from '../sweeper-config.js';
import { makeSweepPending } from '../use-cases/sweep-pending.js';

const logger = createLogger('sweep-pending');
const sweep = makeSweepPending({ ...createSweepDeps(), log: logger });

/** EventBridge Scheduler, every 15 minutes (the local runner: at startup, then on the same period). */
export const handler = async (_event: unknown, context?: Context) => {
  if (context) logger.addContext(context);
  const report = await sweep();
  logger.info('sweep finished', { ...report });
  // Failed images were logged one by one; failing the run makes them visible as a Lambda error.
  if (report.errors > 0) throw new Error(`${report.errors} pending image(s) could not be swept`);
  return report;
};
