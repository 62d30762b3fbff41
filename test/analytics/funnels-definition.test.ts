import { describe, expect, it } from 'vitest';
import { formatStep, parseFilters, parseFunnelDefinition, parseStepText, splitStepList, stepConditionSql } from '../../src/analytics/index.ts';
import { duckdbDialect } from '../../src/store/index.ts';

describe('the step grammar', () => {
  it('reads event names, page/screen steps and filters', () => {
    expect(parseStepText('Product Viewed')).toEqual({ kind: 'track', event: 'Product Viewed', name: null, where: [] });
    expect(parseStepText('page')).toEqual({ kind: 'page', event: null, name: null, where: [] });
    expect(parseStepText('screen:Cart')).toEqual({ kind: 'screen', event: null, name: 'Cart', where: [] });
    expect(parseStepText("Product Viewed where properties.category = 'shoes' AND properties.price >= 9.5 and properties.brand.name contains \"O'Neill\"").where).toEqual([
      { key: 'category', op: '=', value: 'shoes' },
      { key: 'price', op: '>=', value: 9.5 },
      { key: 'brand.name', op: 'contains', value: "O'Neill" },
    ]);
    expect(parseFilters("properties.a != 'it''s'")).toEqual([{ key: 'a', op: '!=', value: "it's" }]);
    expect(parseFilters('properties.ok = true')).toEqual([{ key: 'ok', op: '=', value: true }]);
  });

  it('formats back to the same step', () => {
    for (const text of ['Order Completed', 'page:Checkout', 'screen', "Product Added where properties.sku = 'a''b' and properties.qty > 2 and properties.gift = false"]) {
      expect(formatStep(parseStepText(text))).toBe(text);
      expect(parseStepText(formatStep(parseStepText(text)))).toEqual(parseStepText(text));
    }
  });

  it('splits a step list on commas outside quotes', () => {
    expect(splitStepList("A, B where properties.x = 'a,b' ,C")).toEqual(['A', "B where properties.x = 'a,b'", 'C']);
    expect(splitStepList('')).toEqual([]);
  });

  it('refuses keys and operators outside the grammar', () => {
    expect(() => parseFilters("properties.a;drop = 'x'")).toThrow(/properties/);
    expect(() => parseFilters("properties..a = 'x'")).toThrow(/property key/);
    expect(() => parseFilters("properties.a like 'x'")).toThrow(/op/);
    expect(() => parseFilters('properties.a = shoes')).toThrow(/quoted string/);
    expect(() => parseFilters("properties.a = 'x' or properties.b = 'y'")).toThrow(/and/);
    expect(() => parseFilters('properties.a contains 3')).toThrow(/contains/);
    expect(() => parseFilters("properties.a = 'open")).toThrow(/unterminated/);
  });

  it('binds every value: the SQL text holds no user text', () => {
    const step = parseStepText("Evil'; DROP TABLE events; -- where properties.k = 'x''); DROP TABLE events; --'");
    const q = stepConditionSql(duckdbDialect, step);
    expect(q.text).not.toContain('DROP');
    expect(q.params).toContain("Evil'; DROP TABLE events; --");
    expect(q.params).toContain("x'); DROP TABLE events; --");
  });
});

describe('definitions', () => {
  it('applies defaults and parses windows, modes and breakdowns', () => {
    const d = parseFunnelDefinition({ steps: 'A,B' });
    expect(d).toMatchObject({ windowDays: 7, mode: 'strict', countBy: 'person', breakdown: null, from: null, to: null });
    expect(parseFunnelDefinition({ steps: ['A', 'B'], window: '12h', by: 'properties.plan.tier' })).toMatchObject({ windowDays: 0.5, breakdown: { kind: 'property', key: 'plan.tier' } });
    expect(parseFunnelDefinition({ steps: 'A,B', from: '2025-01-01', to: '2025-01-31' })).toMatchObject({ from: Date.parse('2025-01-01'), to: Date.parse('2025-02-01') });
  });

  it('names the field of every mistake', () => {
    const message = (input: unknown) => {
      try {
        parseFunnelDefinition(input);
        return 'no error';
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(message({ steps: 'A' })).toMatch(/^steps: a funnel has 2 to 10 steps/);
    expect(message({ steps: ['A', { type: 'track' }] })).toMatch(/^steps\.1\.event:/);
    expect(message({ steps: ['A', { event: 'B', where: ['properties.x ~ 1'] }] })).toMatch(/^steps\.1\.where\.0:/);
    expect(message({ steps: ['A', 42] })).toMatch(/^steps\.1:/);
    expect(message({ steps: 'A,B', window: '-1d' })).toMatch(/^window:/);
    expect(message({ steps: 'A,B', from: '2025-02-01', to: '2025-01-01' })).toMatch(/^to:/);
  });
});
