import { describe, expect, it } from 'vitest';
import { classifyChannel, GA4_CHANNELS, mapExplicitChannel, resolveRules, titleCaseChannel } from '../../src/channels/index.ts';

describe('explicit channel mapping', () => {
  it.each([
    ['email', 'Email'],
    ['E-Mail', 'Email'],
    ['sms', 'SMS'],
    ['push', 'Mobile Push Notifications'],
    ['mobile_push', 'Mobile Push Notifications'],
    ['paid_social', 'Paid Social'],
    ['Paid Search', 'Paid Search'],
    ['PAID-SEARCH', 'Paid Search'],
    ['organic  search', 'Organic Search'],
    ['cross_network', 'Cross-network'],
    ['affiliate', 'Affiliates'],
    ['mobile push notifications', 'Mobile Push Notifications'],
    ['offline', 'Offline'],
    ['Store', 'Offline'],
    ['in-store', 'Offline'],
    ['POS', 'Offline'],
  ])('%s → %s', (value, channel) => {
    expect(mapExplicitChannel(value)).toEqual({ channel, known: true });
  });

  it('accepts every GA4 channel name in snake, kebab, upper and lower case', () => {
    for (const name of GA4_CHANNELS) {
      for (const variant of [name, name.toLowerCase(), name.toUpperCase().replace(/ /g, '_'), name.toLowerCase().replace(/ /g, '-')]) {
        expect(mapExplicitChannel(variant)?.channel, variant).toBe(name);
      }
    }
  });

  it('keeps unknown values as their own channel, title-cased', () => {
    expect(mapExplicitChannel('tv')).toEqual({ channel: 'Tv', known: false });
    expect(mapExplicitChannel('partner_network')).toEqual({ channel: 'Partner Network', known: false });
    expect(titleCaseChannel('  direct-MAIL ')).toBe('Direct Mail');
  });

  it('ignores absent and blank values', () => {
    for (const value of [undefined, null, '', '  ', '_-_']) expect(mapExplicitChannel(value)).toBeNull();
  });
});

describe('explicit channel in the classifier', () => {
  it('wins over tags, referrer and click ids, and still reports source / medium', () => {
    const r = classifyChannel({ explicitChannel: 'sms', source: 'google', medium: 'cpc', pageUrl: '/?gclid=x', referrer: 'https://bing.com' });
    expect(r).toEqual({ channel: 'SMS', source: 'google', medium: 'cpc', campaign: null, rule: 'explicit' });
  });

  it('wins over user rules too', () => {
    const rules = resolveRules({ rules: [{ channel: 'Everything', conditions: { op: 'matches', field: 'source', pattern: '.*' } }], replaceDefaults: false });
    expect(classifyChannel({ explicitChannel: 'store' }, rules)).toMatchObject({ channel: 'Offline', rule: 'explicit' });
  });

  it('marks unknown values as kept verbatim', () => {
    expect(classifyChannel({ explicitChannel: 'direct_mail' })).toMatchObject({ channel: 'Direct Mail', rule: 'explicit/verbatim' });
  });

  it('falls back to the rules when blank', () => {
    expect(classifyChannel({ explicitChannel: ' ', source: 'google', medium: 'cpc' }).channel).toBe('Paid Search');
  });
});
