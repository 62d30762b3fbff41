import type { z } from 'zod';
import { TributaryError } from '../errors/index.ts';

/** Parses request input with a zod schema; a failure is a 400 naming the field. */
export function parseQuery<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new TributaryError('bad_request', `${issue.path.join('.') || 'query'}: ${issue.message}`, {
    issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}
