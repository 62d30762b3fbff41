import { z } from 'zod';
import { TributaryError } from '../../errors/index.ts';
import { ok, reject, type Result } from '../result.ts';
import { normalizeHeaderName } from './csv-rows.ts';
import { rowError } from './events-csv.ts';
import type { CsvRow } from './types.ts';

export const SPEND_FIELDS = ['date', 'channel', 'campaign', 'spend', 'impressions', 'clicks', 'currency'] as const;
type SpendField = (typeof SPEND_FIELDS)[number];
const REQUIRED: readonly SpendField[] = ['date', 'channel', 'spend'];

/** Names ad platforms' exports give these columns (after normalizeHeaderName). */
const ALIASES: Readonly<Record<string, SpendField>> = {
  day: 'date',
  date_start: 'date',
  reporting_date: 'date',
  reporting_starts: 'date',
  platform: 'channel',
  network: 'channel',
  source: 'channel',
  campaign_name: 'campaign',
  cost: 'spend',
  amount: 'spend',
  amount_spent: 'spend',
  spend_amount: 'spend',
  impr: 'impressions',
  imps: 'impressions',
  impression: 'impressions',
  click: 'clicks',
  link_clicks: 'clicks',
  currency_code: 'currency',
};

export interface SpendColumns {
  readonly fields: Partial<Record<SpendField, number>>;
  readonly width: number;
}

/** Header → columns: case- and spacing-insensitive; an alias fills a field the header does not name. */
export function mapSpendHeader(header: readonly string[]): SpendColumns {
  const names = header.map(normalizeHeaderName);
  const fields: Partial<Record<SpendField, number>> = {};
  names.forEach((name, i) => {
    if (!(SPEND_FIELDS as readonly string[]).includes(name)) return;
    if (fields[name as SpendField] !== undefined) throw new TributaryError('bad_request', `header: column "${name}" is given twice`);
    fields[name as SpendField] = i;
  });
  names.forEach((name, i) => {
    const field = ALIASES[name];
    if (field !== undefined && fields[field] === undefined) fields[field] = i;
  });
  const missing = REQUIRED.filter((f) => fields[f] === undefined);
  if (missing.length > 0) {
    throw new TributaryError('bad_request', `header: ${missing.join(', ')} column${missing.length > 1 ? 's are' : ' is'} required (found: ${header.map((h) => h.trim()).join(', ')})`);
  }
  return { fields, width: header.length };
}

function isCalendarDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Plain or thousands-separated decimals; the sign is accepted here so the message can say "negative". */
const DECIMAL = /^-?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$/;
const WHOLE = /^-?(?:\d+|\d{1,3}(?:,\d{3})+)$/;
const toNumber = (s: string): number => Number(s.replaceAll(',', ''));

const amount = z
  .string()
  .min(1, { message: 'is required', abort: true })
  .regex(DECIMAL, { message: 'must be a number, e.g. 1234.50', abort: true })
  .transform(toNumber)
  .pipe(z.number().nonnegative('must not be negative'));

const count = z
  .string()
  .regex(WHOLE, { message: 'must be a whole number', abort: true })
  .transform(toNumber)
  .pipe(z.number().int().nonnegative('must not be negative').max(Number.MAX_SAFE_INTEGER))
  .nullable();

/** One spend row as stored: a day's cost of a campaign on a channel. */
export const spendRowSchema = z.object({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD', abort: true })
    .refine(isCalendarDate, 'is not a valid calendar date'),
  channel: z.string().min(1, 'is required').max(256),
  campaign: z.string().max(512),
  spend: amount,
  impressions: count,
  clicks: count,
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be a 3-letter currency code, e.g. USD')
    .transform((s) => s.toUpperCase())
    .nullable(),
});
export type SpendRow = z.infer<typeof spendRowSchema>;

/**
 * Validates one CSV row: date YYYY-MM-DD, channel required, campaign may be empty (''), spend a
 * non-negative number, impressions and clicks non-negative whole numbers or empty, currency a
 * 3-letter code or empty. Cells are trimmed.
 */
export function parseSpendRow(columns: SpendColumns, row: CsvRow): Result<SpendRow> {
  const error = rowError(row, columns.width);
  if (error !== null) return reject(error);
  const cell = (f: SpendField): string => {
    const i = columns.fields[f];
    return i === undefined ? '' : row.values[i].trim();
  };
  const optional = (f: SpendField): string | null => (cell(f) === '' ? null : cell(f));
  const parsed = spendRowSchema.safeParse({
    date: cell('date'),
    channel: cell('channel'),
    campaign: cell('campaign'),
    spend: cell('spend'),
    impressions: optional('impressions'),
    clicks: optional('clicks'),
    currency: optional('currency'),
  });
  if (!parsed.success) return reject(parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return ok(parsed.data);
}

/** The identity of a spend row: a re-imported row with the same key replaces the stored one. */
export const spendKey = (r: SpendRow): string => JSON.stringify([r.date, r.channel, r.campaign]);

export const sameSpend = (a: SpendRow, b: SpendRow): boolean =>
  a.spend === b.spend && a.impressions === b.impressions && a.clicks === b.clicks && a.currency === b.currency;
