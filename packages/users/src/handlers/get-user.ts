import { httpHandler, ok } from '@snapstack/domain/http';
import { logger, userRepository } from '../config.js';
import { makeGetUser } from '../use-cases/users.js';

const getUser = makeGetUser(userRepository);

export const handler = httpHandler(logger, async (req) => ok(await getUser(req.pathParam('id'))));
