import { created, httpHandler } from '@snapstack/domain/http';
import { routePath } from '@snapstack/domain/routes';
import { clock, logger, newId, userRepository } from '../config.js';
import { makeCreateUser } from '../use-cases/users.js';

const createUser = makeCreateUser(userRepository, clock, newId);

export const handler = httpHandler(logger, async (req) => {
  const user = await createUser(req.json(), req.caller?.sub);
  return created(user, routePath('getUser', { id: user.id }));
});
