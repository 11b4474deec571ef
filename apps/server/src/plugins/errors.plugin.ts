import fp from 'fastify-plugin';
import { wantsWebApp } from './web-app.plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import {
  AppError,
  ERROR_CODES,
  problemType,
  type ErrorCode,
  type FieldError,
  type Problem,
} from '@recon/shared';

/** Fastify's own error codes that map onto ours; anything else with a 4xx status becomes BAD_REQUEST. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
};

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && 'code' in error && typeof error.code === 'string';
}

function statusOfUnknown(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return undefined;
  return typeof error.statusCode === 'number' ? error.statusCode : undefined;
}

/** Builds the problem body for a code. */
export function toProblem(
  code: ErrorCode,
  requestId: string,
  detail?: string,
  errors: FieldError[] = [],
): Problem {
  const { status, title } = ERROR_CODES[code];
  return {
    type: problemType(code),
    title,
    status,
    detail: detail ?? title,
    code,
    request_id: requestId,
    errors,
  };
}

function sendProblem(reply: FastifyReply, problem: Problem, headers: Readonly<Record<string, string>> = {}) {
  return reply
    .code(problem.status)
    .headers(headers)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send(problem);
}

function fieldErrorsOf(error: FastifyError & { validation: { instancePath: string; message?: string }[] }) {
  const where = error.validationContext ?? 'body';
  return error.validation.map((issue): FieldError => ({
    in: where,
    field: issue.instancePath.replace(/^\//, '').replaceAll('/', '.'),
    message: issue.message ?? 'is invalid',
  }));
}

/** Maps any thrown value to a problem. 5xx never carries the original message. */
export function problemFromError(
  error: unknown,
  request: FastifyRequest,
): { problem: Problem; headers?: Record<string, string> } {
  if (error instanceof AppError) {
    return {
      problem: toProblem(error.code, request.id, error.message, error.errors),
      headers: { ...error.headers },
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    return { problem: toProblem('VALIDATION_FAILED', request.id, undefined, fieldErrorsOf(error)) };
  }
  if (isResponseSerializationError(error)) {
    return { problem: toProblem('INTERNAL_ERROR', request.id) };
  }
  const status = statusOfUnknown(error);
  if (isFastifyError(error)) {
    const mapped = FASTIFY_CODES[error.code];
    if (mapped !== undefined) return { problem: toProblem(mapped, request.id) };
    if (error instanceof SyntaxError && status === 400)
      return { problem: toProblem('MALFORMED_JSON', request.id) };
  }
  // @fastify/rate-limit has already set Retry-After on the reply.
  if (status === 429) return { problem: toProblem('RATE_LIMITED', request.id) };
  if (status !== undefined && status >= 400 && status < 500) {
    const detail = error instanceof Error ? error.message : undefined;
    const code: ErrorCode =
      status === 404 ? 'NOT_FOUND' : status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
    return { problem: { ...toProblem(code, request.id, detail), status } };
  }
  return { problem: toProblem('INTERNAL_ERROR', request.id) };
}

/**
 * The one error handler: every error and unknown route answers `application/problem+json`.
 * Errors below 500 are logged at info; 5xx at error with the stack (the client only sees the code).
 */
export const errorsPlugin = fp(
  (app) => {
    app.setErrorHandler((error, request, reply) => {
      const { problem, headers } = problemFromError(error, request);
      if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ code: problem.code, status: problem.status }, 'request rejected');
      return sendProblem(reply, problem, headers);
    });
    app.setNotFoundHandler((request, reply) => {
      // Deep links into the single-page app (a reload on /projects/x) get its index.html.
      if (
        typeof reply.sendFile === 'function' &&
        wantsWebApp(request.method, request.url, request.headers.accept)
      ) {
        return reply.header('cache-control', 'no-cache').sendFile('index.html');
      }
      return sendProblem(
        reply,
        toProblem('ROUTE_NOT_FOUND', request.id, `No route ${request.method} ${request.url}`),
      );
    });
  },
  { name: 'errors' },
);
