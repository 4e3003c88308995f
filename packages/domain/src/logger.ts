/**
 * Structured JSON logging with Powertools Logger, one logger per function.
 *
 * @example
 * export const logger = createLogger('users');
 * logger.info('user created', { userId });
 */
import { Logger } from '@aws-lambda-powertools/logger';

export type { Logger };

export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName, logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO' });
}
