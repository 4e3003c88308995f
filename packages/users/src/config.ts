/** Read once at cold start: the environment and the clients every users handler shares. */
import { randomUUID } from 'node:crypto';
import { createDocumentClient } from '@snapstack/domain/dynamo';
import { requiredEnv } from '@snapstack/domain/env';
import { createLogger } from '@snapstack/domain/logger';
import { tables } from '@snapstack/domain/tables';
import { DynamoUserRepository } from './adapters/dynamo-user-repository.js';
import type { Clock } from './ports.js';

export const logger = createLogger('users');
export const userRepository = new DynamoUserRepository(createDocumentClient(), requiredEnv(tables.users.envVar));
export const clock: Clock = { now: () => new Date() };
export const newId = randomUUID;
