import { describe, expect, it } from 'vitest';
import { contactIdentifiers, createIdentifierHasher, displayIdentifier, normalizeEmail, normalizePhone } from '../../src/identity/index.ts';
import { hash } from './helpers.ts';

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Jane.Doe@Example.COM ')).toBe('jane.doe@example.com');
  });
  it('rejects what is not an address', () => {
    for (const bad of ['', 'jane', 'jane@', '@example.com', 'jane doe@example.com', 'jane@example', 42, null, undefined]) {
      expect(normalizeEmail(bad)).toBeNull();
    }
  });
});

describe('normalizePhone', () => {
  it('keeps an international number, dropping formatting', () => {
    expect(normalizePhone('+44 7700 900-123')).toBe('+447700900123');
    expect(normalizePhone('+1 (212) 555.0100')).toBe('+12125550100');
    expect(normalizePhone('0044 7700 900123')).toBe('+447700900123');
  });
  it('prefixes the default country code to a national number', () => {
    expect(normalizePhone('(212) 555-0100', '1')).toBe('+12125550100');
    expect(normalizePhone('1-212-555-0100', '+1')).toBe('+12125550100');
    expect(normalizePhone('07700 900123', '44')).toBe('+447700900123');
    expect(normalizePhone(2125550100, '1')).toBe('+12125550100');
  });
  it('rejects a national number without a default country, and garbage', () => {
    expect(normalizePhone('(212) 555-0100')).toBeNull();
    for (const bad of ['call me', '+1 212 555 0100 ext 5', '+12', '+0123456789', '123', '', null, {}]) {
      expect(normalizePhone(bad, '1')).toBeNull();
    }
  });
});

describe('contactIdentifiers and hashing', () => {
  it('gives hashed email and phone identifiers, never the raw values', () => {
    const ids = contactIdentifiers({ email: ' A@B.io ', phone: '(212) 555-0100', name: 'x' }, hash, '1');
    expect(ids.map((i) => i.kind)).toEqual(['email', 'phone']);
    expect(ids[0].value).toBe(hash('email', 'a@b.io'));
    expect(ids[1].value).toBe(hash('phone', '+12125550100'));
    expect(ids.every((i) => /^[0-9a-f]{64}$/.test(i.value))).toBe(true);
  });
  it('is keyed: another secret gives another hash, the kind is part of the input', () => {
    const other = createIdentifierHasher('another-secret');
    expect(other('email', 'a@b.io')).not.toBe(hash('email', 'a@b.io'));
    expect(hash('phone', 'x')).not.toBe(hash('email', 'x'));
  });
  it('shows hashed identifiers by a prefix only', () => {
    const shown = displayIdentifier({ kind: 'email', value: hash('email', 'a@b.io') });
    expect(shown).toEqual({ kind: 'email', value: hash('email', 'a@b.io').slice(0, 12) + '…', hashed: true });
    expect(displayIdentifier({ kind: 'user_id', value: 'u1' })).toEqual({ kind: 'user_id', value: 'u1', hashed: false });
  });
});
