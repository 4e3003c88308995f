/** Read once at cold start: the environment and the clients every users handler shares. */
import { randomUUID } from 'node:crypto';
import { createDocumentClient } from '@snapstack/domain/dynamo';
import { requiredEnv } from '@snapstack/domain/env';
import { createLogger } from '@snapstack/domain/logger';
import { tables } from '@snapstack/domain/tables';
import { DynamoLikeRepository } from './adapters/dynamo-like-repository.js';
import { DynamoUserRepository } from './adapters/dynamo-user-repository.js';
import type { Clock } from './ports.js';

export const logger = createLogger('users');
const doc = createDocumentClient();
export const userRepository = new DynamoUserRepository(doc, requiredEnv(tables.users.envVar));
/** Read lazily: only the likes worker needs the likes table. */
export const likeRepository = () => new DynamoLikeRepository(doc, requiredEnv(tables.likes.envVar));
export const clock: Clock = { now: () => new Date() };
export const newId = randomUUID;
