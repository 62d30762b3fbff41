import { describe, expect, it } from 'vitest';
import {
  classifyChannel,
  DEFAULT_RULES,
  parseChannelConfig,
  resolveRules,
  type ChannelConfig,
} from '../../src/channels/index.ts';

function rulesFrom(input: unknown) {
  const parsed = parseChannelConfig(input);
  if (!parsed.ok) throw new Error(parsed.message);
  return resolveRules(parsed.config);
}

describe('user rules', () => {
  const config = {
    rules: [
      {
        id: 'brand-search',
        channel: 'Paid Search Brand',
        description: 'Brand keywords bought on search engines.',
        conditions: {
          op: 'all',
          conditions: [
            { op: 'equals', field: 'sourceCategory', value: 'search' },
            { op: 'matches', field: 'medium', pattern: '^(cpc|ppc)$' },
            { op: 'contains', field: 'campaign', value: 'BRAND' },
          ],
        },
      },
      { channel: 'Email', conditions: { op: 'in', field: 'medium', values: ['Newsletter', 'crm'] } },
      { channel: 'Partners', conditions: { op: 'startsWith', field: 'source', value: 'partner-' } },
    ],
  };

  it('run before the defaults and can take traffic from them', () => {
    const rules = rulesFrom(config);
    expect(classifyChannel({ source: 'google', medium: 'cpc', campaign: 'Brand_Exact' }, rules)).toMatchObject({ channel: 'Paid Search Brand', rule: 'brand-search' });
    expect(classifyChannel({ source: 'google', medium: 'cpc', campaign: 'Generic' }, rules)).toMatchObject({ channel: 'Paid Search', rule: 'ga4/paid-search' });
    expect(classifyChannel({ source: 'google', medium: 'cpc', campaign: 'Brand_Exact' })).toMatchObject({ channel: 'Paid Search' });
  });

  it('cover values the defaults leave unassigned, case-insensitively, with generated ids', () => {
    const rules = rulesFrom(config);
    expect(classifyChannel({ source: 'acme', medium: 'newsletter' })).toMatchObject({ channel: 'Unassigned' });
    expect(classifyChannel({ source: 'acme', medium: 'NEWSLETTER' }, rules)).toMatchObject({ channel: 'Email', rule: 'user/2' });
    expect(classifyChannel({ source: 'Partner-Blog', medium: 'referral' }, rules)).toMatchObject({ channel: 'Partners', rule: 'user/3' });
  });

  it('first match wins among user rules', () => {
    const rules = rulesFrom({
      rules: [
        { id: 'a', channel: 'A', conditions: { op: 'equals', field: 'medium', value: 'x' } },
        { id: 'b', channel: 'B', conditions: { op: 'equals', field: 'medium', value: 'x' } },
      ],
    });
    expect(classifyChannel({ source: 's', medium: 'x' }, rules).rule).toBe('a');
  });

  it('support not', () => {
    const rules = rulesFrom({
      rules: [
        {
          channel: 'Other Social',
          conditions: {
            op: 'all',
            conditions: [
              { op: 'equals', field: 'sourceCategory', value: 'social' },
              { op: 'not', condition: { op: 'in', field: 'source', values: ['facebook', 'instagram'] } },
            ],
          },
        },
      ],
    });
    expect(classifyChannel({ source: 'reddit', medium: 'referral' }, rules).channel).toBe('Other Social');
    expect(classifyChannel({ source: 'facebook', medium: 'referral' }, rules).channel).toBe('Organic Social');
  });

  it('can replace the defaults', () => {
    const rules = rulesFrom({ ...config, replaceDefaults: true });
    expect(rules).toHaveLength(3);
    expect(classifyChannel({ source: 'google', medium: 'cpc' }, rules)).toMatchObject({ channel: 'Unassigned', rule: 'unassigned' });
    expect(classifyChannel({}, rules).channel).toBe('Unassigned');
  });

  it('resolve to the defaults alone when there are none', () => {
    const empty: ChannelConfig = { rules: [], replaceDefaults: false };
    expect(resolveRules(empty)).toEqual(DEFAULT_RULES);
    expect(rulesFrom(undefined)).toEqual(DEFAULT_RULES);
  });

  it('name anonymous rules by position when not resolved', () => {
    const r = classifyChannel({ source: 's', medium: 'x' }, [{ channel: 'X', conditions: { op: 'equals', field: 'medium', value: 'x' } }]);
    expect(r.rule).toBe('rule[0]');
  });
});

describe('rule validation', () => {
  function issues(input: unknown) {
    const parsed = parseChannelConfig(input);
    if (parsed.ok) throw new Error('expected a validation error');
    return parsed;
  }

  it('reports an unknown field with its path', () => {
    const bad = issues({ rules: [{ channel: 'X', conditions: { op: 'all', conditions: [{ op: 'equals', field: 'meduim', value: 'x' }] } }] });
    expect(bad.issues).toEqual([{ path: 'rules[0].conditions.conditions[0].field', message: expect.stringContaining('"medium"') }]);
    expect(bad.message).toContain('rules[0].conditions.conditions[0].field');
  });

  it('reports an invalid regex with its path', () => {
    const bad = issues({ rules: [{ channel: 'X', conditions: { op: 'matches', field: 'medium', pattern: '(cpc' } }] });
    expect(bad.issues[0].path).toBe('rules[0].conditions.pattern');
    expect(bad.issues[0].message).toMatch(/regular expression/i);
  });

  it('refuses regex features the SQL engine lacks', () => {
    const bad = issues({ rules: [{ channel: 'X', conditions: { op: 'matches', field: 'source', pattern: '^(?!google).*' } }] });
    expect(bad.issues[0]).toEqual({ path: 'rules[0].conditions.pattern', message: expect.stringContaining('RE2') });
    expect(issues({ rules: [{ channel: 'X', conditions: { op: 'matches', field: 'source', pattern: '(a)\\1' } }] }).issues[0].message).toContain('backreferences');
  });

  it('reports unknown operators, empty lists, blank channels and stray keys', () => {
    const bad = issues({
      rules: [
        { channel: 'X', conditions: { op: 'regex', field: 'source', value: 'x' } },
        { channel: 'Y', conditions: { op: 'in', field: 'medium', values: [] } },
        { channel: '  ', conditions: { op: 'equals', field: 'medium', value: 'x' } },
        { channel: 'Z', conditions: { op: 'equals', field: 'medium', value: 'x' }, priority: 1 },
      ],
    });
    expect(bad.issues.map((i) => i.path)).toEqual(['rules[0].conditions.op', 'rules[1].conditions.values', 'rules[2].channel', 'rules[3]']);
    expect(bad.issues[3].message).toContain('priority');
  });

  it('reports a wrong top-level shape', () => {
    expect(issues({ rules: 'nope' }).issues[0].path).toBe('rules');
    expect(issues({ replaceDefaults: 'yes' }).issues[0].path).toBe('replaceDefaults');
  });
});
