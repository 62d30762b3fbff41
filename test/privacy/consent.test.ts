import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentOfMessage, consentPolicyOf, decidePurpose, DEFAULT_CONSENT_POLICY, mergePreferences } from '../../src/privacy/index.ts';
import { readJson, send, startTestServer, type TestServer } from '../helpers/server.ts';

describe('consent model', () => {
  it('reads consent from the context, identify traits and consent events, lower-casing categories', () => {
    expect(consentOfMessage({ type: 'page', context: { consent: { categoryPreferences: { Advertising: false, Analytics: true } } } })).toEqual({ advertising: false, analytics: true });
    expect(consentOfMessage({ type: 'identify', traits: { consent: { Personalization: 'true' } } })).toEqual({ personalization: true });
    expect(consentOfMessage({ type: 'track', event: 'Segment Consent Preference Updated', properties: { categoryPreferences: { DataSharing: false } } })).toEqual({ datasharing: false });
    expect(consentOfMessage({ type: 'track', event: 'Order Completed', properties: { consent: { Advertising: false } } })).toBeNull();
    expect(consentOfMessage({ type: 'page', context: { locale: 'en' } })).toBeNull();
  });

  it('merges updates; an empty statement withdraws every category given so far', () => {
    expect(mergePreferences({ advertising: true, analytics: true }, { advertising: false })).toEqual({ advertising: false, analytics: true });
    expect(mergePreferences({ advertising: true, analytics: true }, {})).toEqual({ advertising: false, analytics: false });
  });

  it('decides a purpose: a refusal wins, then a grant, then the region default, then the policy default', () => {
    const policy = consentPolicyOf({ defaultGranted: true, deniedRegions: ['DE'], grantedRegions: [], categories: { advertising: ['C0004'] } });
    expect(decidePurpose({ advertising: true, c0004: false }, 'advertising', policy)).toEqual({ allowed: false, basis: 'consent' });
    expect(decidePurpose({ marketing: true }, 'advertising', policy, 'DE')).toEqual({ allowed: true, basis: 'consent' });
    expect(decidePurpose({ analytics: false }, 'advertising', policy, 'DE')).toEqual({ allowed: false, basis: 'region' });
    expect(decidePurpose(null, 'advertising', policy, 'US')).toEqual({ allowed: true, basis: 'default' });
    expect(decidePurpose(null, 'analytics', { ...DEFAULT_CONSENT_POLICY, defaultGranted: false })).toEqual({ allowed: false, basis: 'default' });
    expect(() => consentPolicyOf({ defaultGranted: true, deniedRegions: [], grantedRegions: [], categories: { ads: [] } })).toThrow('"ads" is not a purpose');
  });
});

const T0 = Date.UTC(2026, 3, 1, 9);
const at = (h: number) => new Date(T0 + h * 3_600_000).toISOString();

/** A paid-search visit, a login and an order for one customer; the visit states `consent`. */
function journey(n: number, consent: Record<string, boolean> | null) {
  const context = { page: { url: 'https://shop.test/?utm_source=google&utm_medium=cpc' }, ...(consent ? { consent: { categoryPreferences: consent } } : {}) };
  return {
    batch: [
      { type: 'page', anonymousId: `a${n}`, timestamp: at(n), context, messageId: `c${n}-1` },
      { type: 'identify', anonymousId: `a${n}`, userId: `u${n}`, timestamp: at(n + 0.1), messageId: `c${n}-2` },
      { type: 'track', userId: `u${n}`, event: 'Order Completed', properties: { revenue: 50 }, timestamp: at(n + 0.2), messageId: `c${n}-3` },
    ],
  };
}

async function lastTouchConversions(server: TestServer): Promise<number> {
  const report = await readJson(await server.api('/api/attribution?model=last&from=2026-03-01&to=2026-05-01'));
  return report.results[0].totalConversions;
}

describe('consent in the store', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await send(server, '/v1/batch', journey(1, { Advertising: false, Analytics: true }));
    await send(server, '/v1/batch', journey(2, null));
    await send(server, '/v1/batch', journey(3, { Advertising: true }));
    await server.processNow();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('leaves a person who refused advertising out of attribution, and takes them back when they consent', async () => {
    expect(await lastTouchConversions(server)).toBe(2);
    await send(server, '/v1/track', { userId: 'u1', event: 'Segment Consent Preference Updated', properties: { categoryPreferences: { Advertising: true } }, timestamp: at(10), messageId: 'c1-4' });
    await server.processNow();
    expect(await lastTouchConversions(server)).toBe(3);
  });

  it("keeps each person's consent, the decision per purpose and the history of changes", async () => {
    const personId = (await readJson(await server.api('/api/people?userId=u1'))).personId;
    const consent = await readJson(await server.api(`/api/people/${personId}/consent`));
    expect(consent.preferences).toEqual({ advertising: true, analytics: true });
    expect(consent.purposes.advertising).toEqual({ allowed: true, basis: 'consent' });
    expect(consent.purposes.personalization).toEqual({ allowed: true, basis: 'default' });
    expect(consent.history.map((h: { messageId: string; origin: string }) => [h.messageId, h.origin])).toEqual([
      ['c1-4', 'event:Segment Consent Preference Updated'],
      ['c1-1', 'context'],
    ]);
  });

  it('leaves a person who refused analytics out of the journey views, and counts what each purpose excludes', async () => {
    const journeys = async () => (await readJson(await server.api('/api/journeys/top?from=2026-03-01&to=2026-05-01'))).totals.journeys;
    const before = await journeys();
    const visit = (id: string, consent: Record<string, boolean> | null) =>
      send(server, '/v1/page', {
        anonymousId: id,
        context: { page: { url: 'https://shop.test/?utm_source=news&utm_medium=email' }, ...(consent ? { consent: { categoryPreferences: consent } } : {}) },
        timestamp: at(20),
        messageId: `${id}-1`,
      });
    await visit('a9', { Analytics: false });
    await visit('a10', null);
    await server.processNow();
    // a10 starts a (not yet converted) journey; a9 refused analytics and is not counted.
    expect(await journeys()).toBe(before + 1);
    // Funnels count a10 and the three customers, not a9.
    const funnel = await readJson(await server.api('/api/funnels', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ steps: ['page', 'Order Completed'], from: '2026-03-01', to: '2026-05-01' }) }));
    expect(funnel.steps.map((s: { entered: number }) => s.entered)).toEqual([4, 3]);
    const report = await readJson(await server.api('/api/consent/report'));
    const analytics = report.purposes.find((p: { purpose: string }) => p.purpose === 'analytics');
    expect(analytics).toEqual({ purpose: 'analytics', excludedPeople: 1, excludedEvents: 1 });
    // Attribution (advertising) still may use a9: they refused analytics only.
    expect(report.purposes.find((p: { purpose: string }) => p.purpose === 'advertising').excludedPeople).toBe(0);
  });
});

describe('an opt-in policy', () => {
  it('uses only people who granted advertising when the default is "denied"', async () => {
    const server = await startTestServer({ consent: { defaultGranted: false } });
    try {
      await send(server, '/v1/batch', journey(1, { Advertising: false }));
      await send(server, '/v1/batch', journey(2, null));
      await send(server, '/v1/batch', journey(3, { Marketing: true }));
      await server.processNow();
      expect(await lastTouchConversions(server)).toBe(1);
    } finally {
      await server.stop();
    }
  });
});
