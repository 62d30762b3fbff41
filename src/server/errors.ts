import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, isTributaryError, TributaryError, type ErrorCode } from '../errors/index.ts';

const FASTIFY_CODES: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

/**
 * The one error handler: TributaryErrors keep their code and message; Fastify's own 4xx errors
 * are mapped to the envelope; anything else is a 500 `internal`, logged with its cause and never
 * shown to the client.
 */
export function handleError(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  let error: TributaryError;
  if (isTributaryError(err)) {
    error = err;
  } else {
    const status = (err as FastifyError).statusCode;
    const code = status !== undefined ? FASTIFY_CODES[status] : undefined;
    if (code && status !== undefined && status < 500) {
      error = new TributaryError(code, err.message);
    } else {
      request.log.error({ err }, 'unhandled error');
      error = new TributaryError('internal', 'internal error');
    }
  }
  if (error.code === 'unavailable') request.log.warn({ cause: error.cause }, error.message);
  if (error.retryAfter !== undefined) reply.header('Retry-After', String(error.retryAfter));
  reply.status(error.status).send(errorBody(error));
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply): void {
  reply.status(404).send(errorBody(new TributaryError('not_found', `no route ${request.method} ${request.url.split('?')[0]}`)));
}
