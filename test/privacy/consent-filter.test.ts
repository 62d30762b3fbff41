import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONSENT_POLICY } from '../../src/privacy/index.ts';
import { consentFilter } from '../../src/profiles/index.ts';
import { DuckDbStore, raw, sql } from '../../src/store/index.ts';

let store: DuckDbStore;
beforeAll(async () => {
  store = await DuckDbStore.open({ path: ':memory:' });
});
afterAll(async () => {
  await store.close();
});

const state = async (preferences: Record<string, boolean>) => {
  await store.exec(raw('DELETE FROM consent_current'));
  await store.exec(sql`INSERT INTO consent_current VALUES ('anonymous_id', 'a1', TIMESTAMP '2026-01-01', ${JSON.stringify(preferences)})`);
};

describe('the consent filter of a request', () => {
  it('is left out while nobody refuses a category of the purpose, and applied once someone does', async () => {
    expect(await consentFilter(store, 'advertising', DEFAULT_CONSENT_POLICY)).toBeUndefined();
    // Grants, and a refusal of another purpose, exclude nobody from advertising.
    await state({ advertising: true, analytics: false });
    expect(await consentFilter(store, 'advertising', DEFAULT_CONSENT_POLICY)).toBeUndefined();
    const analytics = await consentFilter(store, 'analytics', DEFAULT_CONSENT_POLICY);
    expect(analytics?.(sql`p.person_id`).text).toMatch(/NOT IN/);
    // Any category mapped to the purpose counts (marketing is one of advertising's).
    await state({ marketing: false });
    expect(await consentFilter(store, 'advertising', DEFAULT_CONSENT_POLICY)).toBeTypeOf('function');
  });

  it('is always applied when the default or a region can refuse', async () => {
    await store.exec(raw('DELETE FROM consent_current'));
    expect(await consentFilter(store, 'advertising', { ...DEFAULT_CONSENT_POLICY, defaultGranted: false })).toBeTypeOf('function');
    expect(await consentFilter(store, 'advertising', { ...DEFAULT_CONSENT_POLICY, regionDefaults: { DE: false } })).toBeTypeOf('function');
  });
});
