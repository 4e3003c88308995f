import { httpHandler, noContent } from '@snapstack/domain/http';
import { logger, userRepository } from '../config.js';
import { makeDeleteUser } from '../use-cases/users.js';

const deleteUser = makeDeleteUser(userRepository);

export const handler = httpHandler(logger, async (req) => {
  await deleteUser(req.pathParam('id'));
  return noContent();
});
