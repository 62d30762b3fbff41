import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptText, encryptText, newDataKey, unwrapKey, wrapKey, wrappingKey } from '../../src/privacy/pii-crypto.ts';
import { createSealer, isSealed, revealDocument, sealedIdentityHash, UNREADABLE } from '../../src/privacy/personal-data.ts';
import { createIdentifierHasher } from '../../src/identity/index.ts';
import { loadOrCreateSecret } from '../../src/privacy/index.ts';
import { makeTestDataDir, readJson, removeTestDataDir, send, startTestServer, type TestServer } from '../helpers/server.ts';

const SECRET = 'a-deployment-secret-of-some-length';
const hash = createIdentifierHasher(SECRET);

describe('AES-256-GCM with a synthetic nonce', () => {
  const key = newDataKey('k1');
  const ring = new Map([[key.id, key]]);

  it('round-trips, names its key, and gives one ciphertext per value under one key', () => {
    const c = encryptText(key, '"jane@example.com"');
    expect(c).toMatch(/^v1:k1:[A-Za-z0-9_-]+$/);
    expect(decryptText(ring, c)).toBe('"jane@example.com"');
    expect(encryptText(key, '"jane@example.com"')).toBe(c);
    expect(encryptText(key, '"john@example.com"')).not.toBe(c);
    expect(encryptText(newDataKey('k1'), '"jane@example.com"')).not.toBe(c);
  });

  it('refuses an altered ciphertext, another key id, or a key it does not have', () => {
    const c = encryptText(key, 'secret value');
    const body = Buffer.from(c.slice(6), 'base64url');
    body[body.length - 20] ^= 1;
    expect(() => decryptText(ring, `v1:k1:${body.toString('base64url')}`)).toThrow();
    // The key id is authenticated: relabelling a ciphertext does not make another key accept it.
    const k2 = { id: 'k2', key: key.key };
    expect(() => decryptText(new Map([['k2', k2]]), c.replace('v1:k1:', 'v1:k2:'))).toThrow();
    expect(() => decryptText(new Map(), c)).toThrow(/key k1 is not in the keyring/);
  });

  it('wraps data keys under the deployment secret; another secret cannot unwrap them', () => {
    const wrapped = wrapKey(wrappingKey(SECRET), key);
    expect(Buffer.from(unwrapKey(wrappingKey(SECRET), 'k1', wrapped).key)).toEqual(Buffer.from(key.key));
    expect(() => unwrapKey(wrappingKey('another-secret-entirely'), 'k1', wrapped)).toThrow(/not the one it was created with/);
  });
});

describe('sealing personal fields', () => {
  const key = newDataKey('k1');
  const open = (c: string) => decryptText(new Map([[key.id, key]]), c);
  const sealer = createSealer({
    key,
    secret: SECRET,
    extraFields: ['loyaltyNumber'],
    contactHash: (kind, value) => (kind === 'email' ? hash('email', String(value).trim().toLowerCase()) : hash('phone', String(value))),
  });

  it('seals personal traits, keeps the rest, and leaves a product name alone', () => {
    const traits = { email: ' Jane@Example.com', firstName: 'Jane', name: 'Jane Doe', plan: 'pro', LoyaltyNumber: 'L-42', address: { street: '1 Main St', city: 'Springfield', country: 'US' } };
    const sealed = sealer.seal('traits', traits)!;
    expect(sealed.plan).toBe('pro');
    for (const k of ['email', 'firstName', 'name', 'LoyaltyNumber']) expect(isSealed(sealed[k])).toBe(true);
    const address = sealed.address as Record<string, unknown>;
    expect(isSealed(address.street) && isSealed(address.city)).toBe(true);
    expect(address.country).toBe('US');
    // The e-mail's hash is the identity graph's hash of the normalised address.
    expect(sealedIdentityHash(sealed.email, 'email')).toBe(hash('email', 'jane@example.com'));
    expect(sealedIdentityHash(JSON.stringify(sealed.email), 'email')).toBe(hash('email', 'jane@example.com'));
    expect(revealDocument(sealed, 'traits', open, 'clear')).toEqual(traits);
    const product = { name: 'Trail Shoe', price: 90, email: 'jane@example.com' };
    const props = sealer.seal('properties', product)!;
    expect(props.name).toBe('Trail Shoe');
    expect(isSealed(props.email)).toBe(true);
  });

  it('seals the IP and context.traits; a document without personal fields is returned as is', () => {
    const context = { ip: '203.0.113.0', traits: { phone: '+14155550123' }, page: { path: '/' } };
    const sealed = sealer.seal('context', context)!;
    expect(isSealed(sealed.ip)).toBe(true);
    expect(sealedIdentityHash((sealed.traits as Record<string, unknown>).phone, 'phone')).toBe(hash('phone', '+14155550123'));
    expect(sealed.page).toBe(context.page);
    const plain = { plan: 'pro' };
    expect(sealer.seal('traits', plain)).toBe(plain);
  });

  it('shows sealed values masked to readers without personal-data access, and says when a key is missing', () => {
    const sealed = sealer.seal('traits', { email: 'jane.doe@example.com', phone: '+14155550123', plan: 'pro' })!;
    expect(revealDocument(sealed, 'traits', open, 'mask')).toEqual({ email: 'j•••@example.com', phone: '••••••••0123', plan: 'pro' });
    expect(revealDocument(sealed, 'traits', () => { throw new Error('no key'); }, 'clear').email).toBe(UNREADABLE);
    // A personal field holding an object or a list is masked through and through.
    const nested = sealer.seal('traits', { name: { first: 'Jane', last: 'Doe' }, phone: ['+14155550123', '+14155550199'] })!;
    expect(revealDocument(nested, 'traits', open, 'mask')).toEqual({ name: { first: 'J•••', last: 'D•••' }, phone: ['••••••••0123', '••••••••0199'] });
  });
});

const EMAIL = 'rosalind.franklin@example-lab.org';
const EMAIL_2 = 'maurice.wilkins@example-lab.org';
const EMAIL_3 = 'francis.crick@example-lab.org';
const GARBAGE = `not json at all, from ${EMAIL_3}`;
const PHONE = '+442079460958';
const NAME = 'Rosalind';
const CONTROL = 'coupon-SPRING-7f3a9c';

/** Every file of the data directory as bytes, searched for a text. */
function dataDirHolds(dir: string, text: string): string[] {
  const hits: string[] = [];
  const needle = Buffer.from(text, 'utf8');
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (fs.readFileSync(file).includes(needle)) hits.push(path.relative(dir, file));
  }
  return hits;
}

describe('personal data at rest, through the real server', () => {
  let server: TestServer;
  let dataDir: string;
  let personId: string;

  beforeAll(async () => {
    dataDir = makeTestDataDir();
    server = await startTestServer({ dataDir, personalFields: ['loyaltyNumber'] });
    await send(server, '/v1/identify', { anonymousId: 'a-1', traits: { email: EMAIL, phone: PHONE, firstName: NAME, plan: 'pro', loyaltyNumber: 'LN-90210' }, context: { ip: '198.51.100.77' } });
    await send(server, '/v1/track', { anonymousId: 'a-1', event: 'Coupon Applied', properties: { email: EMAIL, coupon: CONTROL } });
    // A second device that gives the same e-mail (differently written) is the same person.
    await send(server, '/v1/page', { anonymousId: 'a-2', name: 'Home', context: { traits: { email: EMAIL.toUpperCase() } } });
    // A rejected message keeps its payload in the quarantine, sealed too.
    await send(server, '/v1/batch', { batch: [{ type: 'identify', anonymousId: 'a-3', traits: { email: EMAIL_2 }, timestamp: 'not a time' }] });
    // A body that is not JSON is kept too, sealed whole.
    expect((await send(server, '/v1/batch', GARBAGE)).status).toBe(400);
    await server.processNow();
    personId = (await readJson(await server.api(`/api/people?anonymousId=a-1`))).personId;
  });
  let stopped = false;
  afterAll(async () => {
    if (!stopped) await server?.stop();
    removeTestDataDir(dataDir);
  });

  it('links devices through the sealed e-mail and shows it in the clear to an admin', async () => {
    expect((await readJson(await server.api(`/api/people?anonymousId=a-2`))).personId).toBe(personId);
    expect((await readJson(await server.api(`/api/people?email=${encodeURIComponent(EMAIL)}`))).personId).toBe(personId);
    const profile = await readJson(await server.api(`/api/people/${personId}`));
    expect(profile.traits).toEqual({ email: EMAIL, phone: PHONE, firstName: NAME, plan: 'pro', loyaltyNumber: 'LN-90210' });
    // A breakdown never lists sealed values: a configured personal field groups as one key.
    const byLoyalty = await readJson(await server.api('/api/kpis?by=trait:loyaltyNumber&metrics=people'));
    expect(byLoyalty.breakdown.map((b: { key: string }) => b.key)).toEqual(['(personal data)']);
    const byEmail = await server.api('/api/kpis?by=trait:email');
    expect(byEmail.status).toBe(400);
    expect((await readJson(byEmail)).error.message).toMatch(/personal data/);
    const payloads = (await readJson(await server.api('/api/quarantine'))).messages.map((m: { payload: string }) => m.payload);
    expect(payloads.some((p: string) => p.includes(EMAIL_2) && JSON.parse(p).traits.email === EMAIL_2)).toBe(true);
    expect(payloads).toContain(GARBAGE);
  });

  it('does not trust a sealed-looking value a client sends: a forged identity hash links nobody', async () => {
    const victimHash = createIdentifierHasher(loadOrCreateSecret(dataDir))('email', EMAIL);
    await send(server, '/v1/identify', { anonymousId: 'a-forger', traits: { email: { $enc: 'v1:k1:AAAA', $h: victimHash, $k: 'email' } } });
    await server.processNow();
    expect((await readJson(await server.api(`/api/people?anonymousId=a-forger`))).personId).not.toBe(personId);
  });

  it('keeps working after a key rotation: new data under the new key, old data still readable', async () => {
    const rotated = await readJson(await server.api('/api/privacy/keys/rotate', { method: 'POST' }));
    expect(rotated).toMatchObject({ previous: 'k1', current: 'k2' });
    expect((await readJson(await server.api('/api/privacy/keys'))).keys.map((k: { id: string; current: boolean }) => [k.id, k.current])).toEqual([['k1', false], ['k2', true]]);
    await send(server, '/v1/identify', { anonymousId: 'a-4', traits: { email: EMAIL, lastName: 'Franklin' } });
    await server.processNow();
    expect((await readJson(await server.api(`/api/people?anonymousId=a-4`))).personId).toBe(personId);
    const events = await readJson(await server.api('/api/events?type=identify&limit=10'));
    const texts = events.events.map((e: { traits: unknown }) => JSON.stringify(e.traits));
    expect(texts.filter((t: string) => t.includes(EMAIL))).toHaveLength(2);
    const profile = await readJson(await server.api(`/api/people/${personId}`));
    expect(profile.traits).toMatchObject({ email: EMAIL, firstName: NAME, lastName: 'Franklin' });
    const audit = await readJson(await server.api('/api/audit?action=pii_key'));
    expect(audit.entries[0]).toMatchObject({ action: 'pii_key.rotate', target: 'k2', details: { previous: 'k1' } });
  });

  it('leaves no e-mail, phone, name or IP in the clear anywhere in the data directory', async () => {
    await server.stop();
    stopped = true;
    // The control proves the search can find a stored string: the coupon code is not personal.
    expect(dataDirHolds(dataDir, CONTROL).length).toBeGreaterThan(0);
    for (const secret of [EMAIL, EMAIL.toUpperCase(), EMAIL_2, EMAIL_3, PHONE, '2079460958', NAME, 'Franklin', '198.51.100', 'LN-90210']) {
      expect({ secret, files: dataDirHolds(dataDir, secret) }).toEqual({ secret, files: [] });
    }
  });
});
