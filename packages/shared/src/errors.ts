import { z } from 'zod';

/**
 * The one registry of error codes: each code has one HTTP status and one human title.
 * Clients switch on `code`, never on message text.
 *
 * @example
 * ERROR_CODES.PROJECT_NOT_FOUND.status // 404
 */
export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, title: 'Bad request' },
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication is required' },
  INVALID_CREDENTIALS: { status: 401, title: 'Email or password is wrong' },
  INVALID_TOKEN: { status: 401, title: 'The token is invalid or expired' },
  REFRESH_TOKEN_INVALID: { status: 401, title: 'The refresh token is invalid or expired' },
  REFRESH_TOKEN_REUSED: { status: 401, title: 'The refresh token was already used; the session is revoked' },
  WRONG_PASSWORD: { status: 403, title: 'The current password is wrong' },
  FORBIDDEN: { status: 403, title: 'You are not allowed to do this' },
  CSRF_TOKEN_INVALID: { status: 403, title: 'The CSRF token is missing or invalid' },
  ACCOUNT_DISABLED: { status: 403, title: 'The account is disabled' },
  REGISTRATION_DISABLED: { status: 403, title: 'Self-registration is disabled' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  USER_NOT_FOUND: { status: 404, title: 'User not found' },
  PROJECT_NOT_FOUND: { status: 404, title: 'Project not found' },
  MEMBER_NOT_FOUND: { status: 404, title: 'Project member not found' },
  API_KEY_NOT_FOUND: { status: 404, title: 'API key not found' },
  CONFLICT: { status: 409, title: 'The request conflicts with the current state' },
  EMAIL_TAKEN: { status: 409, title: 'A user with this email already exists' },
  ALREADY_MEMBER: { status: 409, title: 'The user is already a member of the project' },
  LAST_OWNER: { status: 409, title: 'A project must keep at least one owner' },
  CANNOT_CHANGE_SELF: { status: 409, title: 'You cannot change your own role, status or account this way' },
  PROJECT_ARCHIVED: { status: 409, title: 'The project is archived' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  DATA_SOURCE_NOT_FOUND: { status: 404, title: 'Data source not found' },
  RULE_SET_NOT_FOUND: { status: 404, title: 'Rule set not found' },
  JOB_NOT_FOUND: { status: 404, title: 'Reconciliation job not found' },
  MATCH_NOT_FOUND: { status: 404, title: 'Match not found' },
  EXCEPTION_NOT_FOUND: { status: 404, title: 'Exception not found' },
  DUPLICATE_FILE: { status: 409, title: 'The same file was already uploaded to this project' },
  DATA_SOURCE_IN_USE: { status: 409, title: 'The data source is used by a queued or running job' },
  DATA_SOURCE_NOT_READY: { status: 409, title: 'The data source has not been ingested' },
  JOB_STATE_CONFLICT: { status: 409, title: 'The job is not in a state that allows this' },
  STALE_VERSION: { status: 409, title: 'The item was changed by someone else; reload and try again' },
  RULE_SET_INVALID: { status: 400, title: 'The rule set is not valid' },
  UNSUPPORTED_FILE_TYPE: { status: 415, title: 'The file type is not supported' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported content type' },
  TOO_MANY_LOGIN_ATTEMPTS: { status: 429, title: 'Too many failed login attempts; try again later' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL_ERROR: { status: 500, title: 'Internal server error' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'The service is not ready' },
} as const satisfies Record<string, { status: number; title: string }>;

/** An error code from {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Every known error code, for `z.enum` and exhaustive client switches. */
export const errorCodeSchema = z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]);

/** A problem with one input field: where it is (`body`, `querystring`, `params`, `headers`), its dotted path and why. */
export const fieldErrorSchema = z.object({
  in: z.string(),
  field: z.string(),
  message: z.string(),
});
/** See {@link fieldErrorSchema}. */
export type FieldError = z.infer<typeof fieldErrorSchema>;

/**
 * RFC 9457 problem details, the body of every error response (`application/problem+json`).
 *
 * @example
 * { type: 'urn:recon:error:PROJECT_NOT_FOUND', title: 'Project not found', status: 404,
 *   detail: 'Project not found', code: 'PROJECT_NOT_FOUND', request_id: 'req-1', errors: [] }
 */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: errorCodeSchema,
  request_id: z.string(),
  errors: z.array(fieldErrorSchema),
});
/** See {@link problemSchema}. */
export type Problem = z.infer<typeof problemSchema>;

/** The problem `type` URI of a code. */
export function problemType(code: ErrorCode): string {
  return `urn:recon:error:${code}`;
}

/** The HTTP status of a code, from the one code→status table. */
export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}

/** Narrows an unknown string (for example a parsed response) to a known error code. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/**
 * The one application error. Throw it anywhere on the server; the error handler turns it into a problem.
 * `headers` lets an error carry response headers such as `Retry-After`.
 *
 * @example
 * throw new AppError('PROJECT_NOT_FOUND');
 * throw new AppError('TOO_MANY_LOGIN_ATTEMPTS', 'Try again in 60 s', { headers: { 'retry-after': '60' } });
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldError[];
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode,
    detail?: string,
    options: { errors?: FieldError[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail ?? ERROR_CODES[code].title, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.errors = options.errors ?? [];
    this.headers = options.headers ?? {};
  }
}
