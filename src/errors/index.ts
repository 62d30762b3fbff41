/**
 * One error type for the whole system. The code decides the HTTP status and the CLI exit code;
 * the message is safe to show to the client (no SQL, stack or personal data).
 */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  invalid_encoding: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  locked: 423,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  config_invalid: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class TributaryError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  /** Seconds a client should wait before retrying (429/503). */
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message: string, details?: unknown, options?: { retryAfter?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TributaryError';
    this.code = code;
    this.details = details;
    this.retryAfter = options?.retryAfter;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function isTributaryError(err: unknown): err is TributaryError {
  return err instanceof TributaryError;
}

/** The envelope every error response uses: `{ error: { code, message, details? } }`. */
export function errorBody(err: TributaryError): { error: { code: string; message: string; details?: unknown } } {
  return {
    error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) },
  };
}
