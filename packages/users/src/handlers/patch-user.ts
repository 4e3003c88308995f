import { httpHandler, ok } from '@snapstack/domain/http';
import { clock, logger, userRepository } from '../config.js';
import { makePatchUser } from '../use-cases/users.js';

const patchUser = makePatchUser(userRepository, clock);

export const handler = httpHandler(logger, async (req) => ok(await patchUser(req.pathParam('id'), req.json())));
