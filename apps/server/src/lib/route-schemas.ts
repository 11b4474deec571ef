import { problemSchema } from '@recon/shared';

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503;

/** Declares problem+json responses for the given statuses (500 is always added). */
export function problems(...statuses: ErrorStatus[]) {
  const entries = [...statuses, 500].map((status) => [
    status,
    problemSchema.describe('Problem details (RFC 9457)'),
  ]);
  return Object.fromEntries(entries) as Record<ErrorStatus | 500, typeof problemSchema>;
}

/** Security requirement for OpenAPI: any of bearer token, API key header, or session cookie. */
export const authenticated: Record<string, string[]>[] = [
  { bearerAuth: [] },
  { apiKeyHeader: [] },
  { cookieAuth: [] },
];
