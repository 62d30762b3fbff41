import { createIdentifierHasher, IdentityGraph, type IdentityMessage, type IdentityOptions } from '../../src/identity/index.ts';

export const SECRET = 'test-secret-identity';
export const hash = createIdentifierHasher(SECRET);

export function options(overrides: Partial<IdentityOptions> = {}): IdentityOptions {
  return { mergeDistinctUserIds: false, maxPeoplePerIdentifier: 10, defaultPhoneCountryCode: '1', hash, ...overrides };
}

export function graph(overrides: Partial<IdentityOptions> = {}): IdentityGraph {
  return new IdentityGraph(options(overrides));
}

const T0 = Date.parse('2024-05-01T10:00:00.000Z');
let seq = 0;

/** A message at minute `minute` after a fixed start; ids default to a running counter. */
export function msg(minute: number, fields: Omit<IdentityMessage, 'at' | 'messageId'> & { messageId?: string }): IdentityMessage {
  seq++;
  return { messageId: fields.messageId ?? `m${String(seq).padStart(4, '0')}`, at: T0 + minute * 60_000, ...fields };
}

export const email = (value: string) => ({ kind: 'email' as const, value: hash('email', value.trim().toLowerCase()) });
export const user = (value: string) => ({ kind: 'user_id' as const, value });
export const anon = (value: string) => ({ kind: 'anonymous_id' as const, value });
export const external = (value: string) => ({ kind: 'external_id' as const, value });
