import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildChannelMappingSql,
  classifyChannel,
  compileRulesToSqlCase,
  compileSourceCategorySql,
  DEFAULT_RULES,
  DEFAULT_SOURCE_CATEGORIES,
  findMatchingRule,
  lookupSourceCategory,
  resolveRules,
  SOURCE_CATEGORY_ORDER,
  toRuleFields,
  UNASSIGNED_RULE,
  type ChannelRule,
} from '../../src/channels/index.ts';
import { join, sql, type Dialect, type Sql } from '../../src/store/index.ts';
import { CHANNEL_CASES } from './cases.ts';

/**
 * The SQL form must classify exactly like the TypeScript classifier. Every shared case (and some
 * raw, un-normalised variants) is classified in TypeScript, its source / medium / campaign
 * stored in an in-memory DuckDB table, and classified again there by the compiled CASE.
 */

interface VisitRow {
  readonly source: string | null;
  readonly medium: string | null;
  readonly campaign: string | null;
}

let db: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
});

afterAll(() => {
  conn?.closeSync();
  db?.closeSync();
});

async function run(q: Sql): Promise<Record<string, unknown>[]> {
  const reader = await conn.runAndReadAll(q.text, [...q.params] as Array<string | number | boolean | null>);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

const COLUMNS = { source: 'source', medium: 'medium', campaign: 'campaign', sourceCategory: 'source_category' };

/** The rows as a bound VALUES list (the casts type all-NULL columns). */
function valuesList(rows: readonly VisitRow[]): Sql {
  return join(rows.map((r, i) => sql`(${i}, CAST(${r.source} AS VARCHAR), CAST(${r.medium} AS VARCHAR), CAST(${r.campaign} AS VARCHAR))`));
}

type SqlAnswer = { id: number; source_category: string | null; channel: string; rule: string };

/** Stores the rows in a temp table and classifies them with the mapping query, joined back by value. */
async function sqlClassify(rows: readonly VisitRow[], rules: readonly ChannelRule[]): Promise<SqlAnswer[]> {
  await run(sql`CREATE OR REPLACE TEMP TABLE visits AS SELECT * FROM (VALUES ${valuesList(rows)}) AS v(id, source, medium, campaign)`);
  const mapping = buildChannelMappingSql(rules, { from: 'visits' });
  const q = sql`SELECT v.id, m.source_category, m.channel, m.rule
    FROM visits v JOIN (${mapping}) m
      ON m.source IS NOT DISTINCT FROM v.source AND m.medium IS NOT DISTINCT FROM v.medium AND m.campaign IS NOT DISTINCT FROM v.campaign
    ORDER BY v.id`;
  return (await run(q)) as SqlAnswer[];
}

/** The plain two-layer form: category in a subquery, the CASE over it. */
async function sqlClassifyInline(rows: readonly VisitRow[], rules: readonly ChannelRule[]): Promise<SqlAnswer[]> {
  const channel = compileRulesToSqlCase(rules, COLUMNS);
  const rule = compileRulesToSqlCase(rules, COLUMNS, { output: 'rule' });
  const category = compileSourceCategorySql('source');
  const q = sql`SELECT id, source_category, ${channel} AS channel, ${rule} AS rule
    FROM (SELECT *, ${category} AS source_category
          FROM (VALUES ${valuesList(rows)}) AS v(id, source, medium, campaign))
    ORDER BY id`;
  return (await run(q)) as SqlAnswer[];
}

const SQL_CASES = CHANNEL_CASES.filter((k) => !k.input.explicitChannel);

/** Raw stored values that need the SQL side to normalise like TypeScript does. */
const RAW_ROWS: VisitRow[] = [
  { source: '  Google ', medium: 'CPC', campaign: null },
  { source: 'WWW.Facebook.com', medium: 'Paid_Social', campaign: 'Spring' },
  { source: 'M.YouTube.com', medium: 'Referral', campaign: null },
  { source: null, medium: 'email', campaign: null },
  { source: 'amazon', medium: null, campaign: 'x' },
  { source: null, medium: null, campaign: null },
  { source: 'partner', medium: 'CPC', campaign: 'Black Friday SHOP' },
  { source: 'news.example.com', medium: 'REFERRAL', campaign: 'Cross-Network Push' },
];

/**
 * The TypeScript answer for a stored triple: rule evaluation only, without re-deriving source /
 * medium (the SQL classifies values already derived at ingest). Absent fields are '' on both sides.
 */
function tsClassify(row: VisitRow, rules: readonly ChannelRule[]) {
  const match = findMatchingRule(rules, toRuleFields(row));
  return match ? { channel: match.rule.channel, rule: match.ruleId } : { channel: 'Unassigned', rule: UNASSIGNED_RULE };
}

describe('compileRulesToSqlCase on DuckDB agrees with classifyChannel', () => {
  it('on every shared case (default rules)', async () => {
    const ts = SQL_CASES.map((k) => classifyChannel(k.input));
    const rows = await sqlClassify(ts, DEFAULT_RULES);
    expect(rows).toHaveLength(ts.length);
    rows.forEach((row, i) => {
      const k = SQL_CASES[i];
      expect({ channel: row.channel, rule: row.rule }, k.name).toEqual({ channel: ts[i].channel, rule: ts[i].rule });
      expect(row.channel, k.name).toBe(k.channel);
    });
  });

  it('on raw, un-normalised stored values', async () => {
    const rows = await sqlClassify(RAW_ROWS, DEFAULT_RULES);
    rows.forEach((row, i) => {
      expect({ channel: row.channel, rule: row.rule }, JSON.stringify(RAW_ROWS[i])).toEqual(tsClassify(RAW_ROWS[i], DEFAULT_RULES));
    });
    expect(rows.map((r) => r.channel).slice(0, 3)).toEqual(['Paid Search', 'Paid Social', 'Organic Video']);
  });

  it('with user rules before the defaults, and with the defaults replaced', async () => {
    const user: ChannelRule[] = [
      { id: 'brand', channel: 'Brand Search', conditions: { op: 'all', conditions: [
        { op: 'equals', field: 'sourceCategory', value: 'search' },
        { op: 'contains', field: 'campaign', value: 'Brand' },
      ] } },
      { channel: 'Newsletter', conditions: { op: 'any', conditions: [
        { op: 'in', field: 'medium', values: ['Newsletter', 'crm'] },
        { op: 'not', condition: { op: 'matches', field: 'source', pattern: '[a-z]' } },
      ] } },
      { channel: "Quote's; DROP TABLE x; --", conditions: { op: 'startsWith', field: 'source', value: "o'brien" } },
      { channel: 'Suffix', conditions: { op: 'endsWith', field: 'source', value: '.io' } },
    ];
    const rows: VisitRow[] = [
      ...SQL_CASES.map((k) => classifyChannel(k.input)),
      ...RAW_ROWS,
      { source: 'google', medium: 'cpc', campaign: 'BRAND exact' },
      { source: 'acme', medium: 'Newsletter', campaign: null },
      { source: '1234', medium: 'x', campaign: null },
      { source: "O'Brien & Co", medium: 'referral', campaign: null },
      { source: 'startup.io', medium: 'referral', campaign: null },
    ];
    for (const rules of [resolveRules({ rules: user, replaceDefaults: false }), resolveRules({ rules: user, replaceDefaults: true })]) {
      const out = await sqlClassify(rows, rules);
      out.forEach((row, i) => {
        expect({ channel: row.channel, rule: row.rule }, JSON.stringify(rows[i])).toEqual(tsClassify(rows[i], rules));
      });
    }
    const withDefaults = await sqlClassify(rows.slice(-5), resolveRules({ rules: user, replaceDefaults: false }));
    expect(withDefaults.map((r) => r.rule)).toEqual(['brand', 'user/2', 'user/2', 'user/3', 'user/4']);
  });

  it('in the plain two-layer form too', async () => {
    const rows: VisitRow[] = [...SQL_CASES.map((k) => classifyChannel(k.input)), ...RAW_ROWS];
    const out = await sqlClassifyInline(rows, DEFAULT_RULES);
    expect(out).toHaveLength(rows.length);
    out.forEach((row, i) => {
      expect({ channel: row.channel, rule: row.rule }, JSON.stringify(rows[i])).toEqual(tsClassify(rows[i], DEFAULT_RULES));
    });
  });

  it('with an empty rule table', async () => {
    const out = await sqlClassify([{ source: 'google', medium: 'cpc', campaign: null }], []);
    expect(out[0]).toMatchObject({ channel: 'Unassigned', rule: 'unassigned' });
  });
});

describe('compileSourceCategorySql on DuckDB agrees with lookupSourceCategory', () => {
  it('on every list entry and its common host forms, and on non-members', async () => {
    const sources: string[] = ['mail.google.com', 'docs.google.com', 'example.com', 'www.search.brave.com', '', ' T.CO ', 'googleblog.com'];
    for (const category of SOURCE_CATEGORY_ORDER) {
      for (const entry of DEFAULT_SOURCE_CATEGORIES[category]) {
        sources.push(entry, `www.${entry}`, `m.${entry}.com`, `${entry}.co.uk`, `sub.${entry}.com`);
      }
    }
    const rows = await sqlClassify(sources.map((source) => ({ source, medium: 'referral', campaign: null })), DEFAULT_RULES);
    rows.forEach((row, i) => {
      expect(row.source_category, sources[i]).toBe(lookupSourceCategory(sources[i]));
    });
  });
});

describe('SQL text', () => {
  it('binds every value as a parameter', () => {
    const q = compileRulesToSqlCase(DEFAULT_RULES, COLUMNS);
    for (const value of ['cross-network', 'affiliate', 'firebase', 'Paid Search', '(direct)', 'retargeting']) {
      expect(q.text).not.toContain(value);
    }
    expect(q.params).toContain('cross-network');
    expect(q.params).toContain('Paid Search');
    expect(q.text.split('?').length - 1).toBe(q.params.length);
    const c = compileSourceCategorySql('source');
    expect(c.text).not.toContain('facebook');
    expect(c.text.split('?').length - 1).toBe(c.params.length);
  });

  it('quotes identifiers and refuses unsafe column names', () => {
    expect(compileRulesToSqlCase(DEFAULT_RULES, COLUMNS).text).toContain('"source_category"');
    expect(() => compileRulesToSqlCase(DEFAULT_RULES, { ...COLUMNS, medium: 'medium; DROP TABLE x' })).toThrow(/identifier/);
  });

  it('builds the mapping query from safe identifiers only', () => {
    expect(() => buildChannelMappingSql(DEFAULT_RULES, { from: 'visits; DROP TABLE visits' })).toThrow(/identifier/);
    expect(() => buildChannelMappingSql(DEFAULT_RULES, { from: 'visits', columns: { source: 'utm source' } })).toThrow(/identifier/);
  });

  it('refuses engines it has no functions for', () => {
    const clickhouse = { name: 'clickhouse' } as Dialect;
    expect(() => compileRulesToSqlCase(DEFAULT_RULES, COLUMNS, { dialect: clickhouse })).toThrow(/clickhouse/);
  });
});
