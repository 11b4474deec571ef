import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config';

/** Paths pino blanks out wherever they appear: credentials must never reach the log pipeline. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'password',
  'new_password',
  'current_password',
  'token',
  'access_token',
  'refresh_token',
  'key',
  'jwtSecret',
  '*.password',
  '*.new_password',
  '*.current_password',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.authorization',
  '*.cookie',
  '*.jwtSecret',
];

/** The process logger: JSON lines on stdout, level from LOG_LEVEL, secrets redacted. */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Logger {
  const options = { level: config.logLevel, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination === undefined ? pino(options) : pino(options, destination);
}
