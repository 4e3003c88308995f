import { httpHandler, ok } from '@snapstack/domain/http';
import { logger, userRepository } from '../config.js';
import { makeListUsers } from '../use-cases/users.js';

const listUsers = makeListUsers(userRepository);

export const handler = httpHandler(logger, async (req) => ok(await listUsers(req.query)));
