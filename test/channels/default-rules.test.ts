import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { channelRuleSchema, classifyChannel, DEFAULT_RULES, GA4_CHANNELS } from '../../src/channels/index.ts';
import { CHANNEL_CASES } from './cases.ts';

describe('GA4 default rule table', () => {
  it('lists GA4 channels in GA4 order, one rule each, Unassigned as the fallback', () => {
    expect(DEFAULT_RULES.map((r) => r.channel)).toEqual(GA4_CHANNELS.slice(0, -1));
    expect(GA4_CHANNELS.at(-1)).toBe('Unassigned');
    expect(new Set(DEFAULT_RULES.map((r) => r.id)).size).toBe(DEFAULT_RULES.length);
  });

  it('is valid under the user-rule schema and documented', () => {
    for (const rule of DEFAULT_RULES) {
      expect(channelRuleSchema.safeParse(rule).success, rule.id).toBe(true);
      expect(rule.description?.length ?? 0, rule.id).toBeGreaterThan(10);
    }
  });

  it('is documented rule by rule in the README', () => {
    const readme = readFileSync(new URL('../../src/channels/README.md', import.meta.url), 'utf8');
    DEFAULT_RULES.forEach((rule, i) => expect(readme).toContain(`| ${i + 1} | ${rule.channel} | \`${rule.id}\` |`));
  });

  it('has a positive case and a near-miss case for every channel', () => {
    for (const channel of GA4_CHANNELS) {
      const kinds = new Set(CHANNEL_CASES.filter((k) => k.about === channel).map((k) => k.kind));
      expect([...kinds].sort(), channel).toEqual(['near-miss', 'positive']);
    }
  });
});

describe.each(GA4_CHANNELS.map((channel) => [channel]))('%s', (channel) => {
  const cases = CHANNEL_CASES.filter((k) => k.about === channel);
  it.each(cases.map((k) => [`${k.kind}: ${k.name}`, k]))('%s', (_label, k) => {
    const result = classifyChannel(k.input);
    expect({ channel: result.channel, rule: result.rule }).toEqual({ channel: k.channel, rule: k.rule });
    if (k.kind === 'positive') expect(result.channel).toBe(channel);
    else expect(result.channel).not.toBe(channel);
  });
});
