/** One invalid input reported by the server, addressed by its dotted path (`email`, `members.0.role`). */
export interface FieldError {
  path: string;
  message: string;
  code?: string;
}

/** Codes the client itself produces when the server's answer never arrived or was not problem+json. */
export const CLIENT_ERROR_CODES = {
  network: 'NETWORK_ERROR',
  http: 'HTTP_ERROR',
  badResponse: 'BAD_RESPONSE',
} as const;

interface ApiErrorInit {
  status: number;
  code: string;
  title: string;
  detail: string;
  requestId?: string;
  fieldErrors?: FieldError[];
}

/**
 * A failed API call. The UI switches on `code` (stable, UPPER_SNAKE), shows `detail` to people,
 * and places `fieldErrors` under the matching inputs.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly requestId: string | undefined;
  readonly fieldErrors: FieldError[];

  constructor(init: ApiErrorInit) {
    super(init.detail);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.fieldErrors = init.fieldErrors ?? [];
  }

  /** The message for one input, if the server reported one for it. */
  fieldError(path: string): string | undefined {
    return this.fieldErrors.find((e) => e.path === path)?.message;
  }
}

/** True for an ApiError, narrowing unknown errors from queries and mutations. */
export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readString(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

// Servers spell a field's location in several ways (path array, dotted path, JSON pointer);
// normalise them all to a dotted path so forms can look errors up by input name.
function readPath(record: Record<string, unknown>): string {
  const path = record.path;
  if (Array.isArray(path)) return path.map(String).join('.');
  const raw =
    readString(record, 'path') ?? readString(record, 'field') ?? readString(record, 'pointer') ?? '';
  return raw
    .replace(/^#?\//, '')
    .replaceAll('/', '.')
    .replace(/^body\./, '');
}

function parseFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((item) => {
    const code = readString(item, 'code');
    const error: FieldError = {
      path: readPath(item),
      message: readString(item, 'message') ?? 'Invalid value',
    };
    if (code !== undefined) error.code = code;
    return error;
  });
}

/** Turns a problem+json body (or anything else the server sent with an error status) into an ApiError. */
export function parseProblem(status: number, statusText: string, body: unknown): ApiError {
  if (!isRecord(body)) {
    return new ApiError({
      status,
      code: CLIENT_ERROR_CODES.http,
      title: statusText || 'Request failed',
      detail: `The server answered ${status}${statusText ? ` ${statusText}` : ''}. Please try again.`,
    });
  }
  const title = readString(body, 'title') ?? (statusText || 'Request failed');
  const requestId = readString(body, 'request_id') ?? readString(body, 'requestId');
  const init: ApiErrorInit = {
    status: typeof body.status === 'number' ? body.status : status,
    code: readString(body, 'code') ?? CLIENT_ERROR_CODES.http,
    title,
    detail: readString(body, 'detail') ?? readString(body, 'message') ?? title,
    fieldErrors: parseFieldErrors(body.errors),
  };
  if (requestId !== undefined) init.requestId = requestId;
  return new ApiError(init);
}

/** The error for a request that never got an answer (offline, server down, DNS). */
export function networkError(): ApiError {
  return new ApiError({
    status: 0,
    code: CLIENT_ERROR_CODES.network,
    title: 'Network error',
    detail: 'Could not reach the server. Check your connection and try again.',
  });
}
