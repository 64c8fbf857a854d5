import { ErrorBody } from '../common/error-body';

/** One example error body per status, shown with every operation that can answer it. */
export const ERROR_EXAMPLES: Record<number, ErrorBody> = {
  400: {
    statusCode: 400, error: 'Bad Request', code: 'invalid_input', message: 'Invalid input: releaseAt.',
    details: [{ field: 'releaseAt', message: 'releaseAt must be an ISO 8601 instant (e.g. 2017-02-03T17:00:00-05:00)' }],
  },
  401: { statusCode: 401, error: 'Unauthorized', code: 'unauthenticated', message: 'Your session has ended. Sign in again.' },
  403: { statusCode: 403, error: 'Forbidden', code: 'forbidden', message: 'Your role (analyst) may not do this; it is for: officer, supervisor, admin.' },
  404: { statusCode: 404, error: 'Not Found', code: 'not_found', message: 'No detainer with this id.' },
  409: {
    statusCode: 409, error: 'Conflict', code: 'invalid_transition', message: "Cannot acknowledge a detainer in state 'released'. Allowed actions: record_outcome.",
    state: 'released', action: 'acknowledge', allowedActions: ['record_outcome'],
  },
  413: { statusCode: 413, error: 'Payload Too Large', code: 'payload_too_large', message: 'The request body is too large.' },
  415: { statusCode: 415, error: 'Unsupported Media Type', code: 'unsupported_media_type', message: 'Unsupported body encoding.' },
  422: { statusCode: 422, error: 'Unprocessable Entity', code: 'idempotency_mismatch', message: 'This Idempotency-Key was already used with a different request body.' },
  429: { statusCode: 429, error: 'Too Many Requests', code: 'rate_limited', message: 'Too many sign-in attempts; try again in 60 s.', retryAfterSeconds: 60 },
  500: { statusCode: 500, error: 'Internal Server Error', code: 'internal_error', message: 'Something went wrong on our side. Nothing was saved; quote the request id when you report it.' },
  503: { statusCode: 503, error: 'Service Unavailable', code: 'unavailable', message: 'A service this request depends on is unavailable. Nothing was saved; retry shortly.' },
};
