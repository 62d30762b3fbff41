/** Ingest steps return a result instead of throwing: a batch answers per message. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const reject = <T = never>(reason: string): Result<T> => ({ ok: false, reason });
