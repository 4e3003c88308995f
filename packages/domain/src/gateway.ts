/**
 * API Gateway's own answers (gateway responses): what a caller gets when the gateway, not a
 * function, answers. Infra renders these as `aws_api_gateway_gateway_response` (with CORS
 * headers); the local runner answers with exactly these statuses and bodies.
 */
export const gatewayResponses = {
  MISSING_AUTHENTICATION_TOKEN: { statusCode: 403, message: 'Missing Authentication Token' },
  BAD_REQUEST_BODY: { statusCode: 400, message: 'Invalid request body' },
  BAD_REQUEST_PARAMETERS: { statusCode: 400, message: 'Missing required request parameters' },
  REQUEST_TOO_LARGE: { statusCode: 413, message: 'Request Too Long' },
  UNAUTHORIZED: { statusCode: 401, message: 'Unauthorized' },
  ACCESS_DENIED: { statusCode: 403, message: 'User is not authorized to access this resource with an explicit deny' },
  INVALID_API_KEY: { statusCode: 403, message: 'Forbidden' },
  THROTTLED: { statusCode: 429, message: 'Too Many Requests' },
  QUOTA_EXCEEDED: { statusCode: 429, message: 'Limit Exceeded' },
  AUTHORIZER_FAILURE: { statusCode: 500, message: null },
  INTEGRATION_FAILURE: { statusCode: 502, message: 'Internal server error' },
  INTEGRATION_TIMEOUT: { statusCode: 504, message: 'Endpoint request timed out' },
} as const satisfies Record<string, { statusCode: number; message: string | null }>;

export type GatewayResponseType = keyof typeof gatewayResponses;

/** API Gateway rejects request payloads over 10 MB before any integration runs. */
export const MAX_GATEWAY_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** API Gateway waits at most 29 s for an integration. */
export const INTEGRATION_TIMEOUT_MS = 29_000;
