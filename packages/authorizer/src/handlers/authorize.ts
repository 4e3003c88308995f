import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import { authorize, logger } from '../config.js';
import { InvalidTokenError } from '../errors.js';

/** API Gateway turns exactly this error message into its 401 `{"message":"Unauthorized"}`. */
const UNAUTHORIZED = 'Unauthorized';

export async function handler(
  event: APIGatewayRequestAuthorizerEvent,
  context?: Context,
): Promise<APIGatewayAuthorizerResult> {
  if (context) logger.addContext(context);
  try {
    const result = await authorize(event);
    logger.info('token accepted', { principalId: result.principalId, methodArn: event.methodArn });
    return result;
  } catch (error) {
    if (error instanceof InvalidTokenError) logger.info(error.message, { methodArn: event.methodArn });
    else logger.error('authorizer failed; denying', error as Error);
    throw new Error(UNAUTHORIZED);
  }
}
