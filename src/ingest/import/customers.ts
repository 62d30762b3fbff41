import { TributaryError } from '../../errors/index.ts';
import { normalizeHeaderName } from './csv-rows.ts';
import { rowError } from './events-csv.ts';
import { deterministicId } from './process-task.ts';
import type { CsvRow, MessageRecord } from './types.ts';

type Dict = Record<string, unknown>;

/** Columns with a meaning of their own; every other column becomes a trait. */
const FIELDS = ['external_id', 'email', 'phone', 'first_name', 'last_name', 'order_id', 'order_date', 'revenue', 'currency', 'store_id'] as const;
type Field = (typeof FIELDS)[number];

/** Other names CRM and POS exports give these columns (after normalizeHeaderName). */
const ALIASES: Readonly<Record<string, Field>> = {
  customer_id: 'external_id',
  crm_id: 'external_id',
  externalid: 'external_id',
  email_address: 'email',
  e_mail: 'email',
  phone_number: 'phone',
  mobile: 'phone',
  firstname: 'first_name',
  given_name: 'first_name',
  lastname: 'last_name',
  family_name: 'last_name',
  surname: 'last_name',
  order_number: 'order_id',
  order_no: 'order_id',
  ordered_at: 'order_date',
  purchase_date: 'order_date',
  order_time: 'order_date',
  order_total: 'revenue',
  total: 'revenue',
  amount: 'revenue',
  store: 'store_id',
};

const TRAIT_NAMES: Readonly<Partial<Record<Field, string>>> = { email: 'email', phone: 'phone', first_name: 'firstName', last_name: 'lastName' };
const CUSTOMER_FIELDS: readonly Field[] = ['email', 'phone', 'first_name', 'last_name'];

export interface CustomerColumns {
  readonly fields: Partial<Record<Field, number>>;
  /** Trait name and column index of every other column. */
  readonly traits: ReadonlyArray<readonly [name: string, index: number]>;
  readonly width: number;
}

/** Header → columns (names are case- and spacing-insensitive, with common aliases). */
export function mapCustomerHeader(header: readonly string[]): CustomerColumns {
  const names = header.map(normalizeHeaderName);
  const fields: Partial<Record<Field, number>> = {};
  names.forEach((name, i) => {
    if (name === '') throw new TributaryError('bad_request', `header: column ${i + 1} has no name`);
    if ((FIELDS as readonly string[]).includes(name)) {
      if (fields[name as Field] !== undefined) throw new TributaryError('bad_request', `header: column "${name}" is given twice`);
      fields[name as Field] = i;
    }
  });
  // Aliases only fill fields the header does not name directly.
  names.forEach((name, i) => {
    const field = ALIASES[name];
    if (field !== undefined && fields[field] === undefined) fields[field] = i;
  });
  if (fields.external_id === undefined) {
    throw new TributaryError('bad_request', `header: an external_id column is required (found: ${header.map((h) => h.trim()).join(', ')})`);
  }
  const used = new Set(Object.values(fields));
  const traits = names.flatMap((name, i) => (used.has(i) ? [] : [[name, i] as const]));
  return { fields, traits, width: header.length };
}

const DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ].+)?$/;

/** The day exists (Date.parse would roll 2024-02-30 over into March). */
function isCalendarDay(s: string): boolean {
  const [y, m, d] = s.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
const AMOUNT = /^-?\d+(?:\.\d+)?$/;
const CURRENCY = /^[A-Za-z]{3}$/;

/**
 * One CRM/POS row → Segment messages: an `identify` of `crm:<external_id>` with the customer's
 * traits and the external id in `context.externalIds` (id from the row's content), and, when the
 * row carries an order, a `track` "Order Completed" with `channel: 'offline'` at the order date
 * (id `pos-<order_id>`). An order row without customer fields gives only the order.
 */
export function customerRecord(columns: CustomerColumns, row: CsvRow): MessageRecord {
  const fail = (error: string): MessageRecord => ({ line: row.line, raw: row.raw, messages: null, error });
  const error = rowError(row, columns.width);
  if (error !== null) return fail(error);
  const get = (field: Field): string => {
    const i = columns.fields[field];
    return i === undefined ? '' : row.values[i].trim();
  };
  const externalId = get('external_id');
  if (externalId === '') return fail('external_id: is required');
  const traits: Dict = {};
  for (const field of CUSTOMER_FIELDS) if (get(field) !== '') traits[TRAIT_NAMES[field]!] = get(field);
  for (const [name, i] of columns.traits) if (row.values[i].trim() !== '') traits[name] = row.values[i].trim();

  const orderId = get('order_id');
  const orderDate = get('order_date');
  const revenue = get('revenue');
  const currency = get('currency');
  const storeId = get('store_id');
  const anonymousId = `crm:${externalId}`;
  const messages: Dict[] = [];
  if (orderId === '' && (orderDate !== '' || revenue !== '')) return fail('order_id: is required when order_date or revenue is given');
  if (Object.keys(traits).length > 0 || orderId === '') {
    const externalIds = [{ id: externalId, type: 'crm_id', collection: 'users', encoding: 'none' }];
    const messageId = deterministicId('crm-', JSON.stringify([externalId, traits]));
    messages.push({ type: 'identify', anonymousId, traits, context: { externalIds }, messageId });
  }
  if (orderId !== '') {
    if (orderId.length > 250) return fail('order_id: is longer than 250 characters');
    if (orderDate === '') return fail('order_date: is required for an order');
    if (!DATE_OR_TIME.test(orderDate)) return fail('order_date: must be a date (YYYY-MM-DD) or an ISO-8601 date-time');
    if (!isCalendarDay(orderDate)) return fail('order_date: is not a valid calendar date');
    if (revenue === '') return fail('revenue: is required for an order');
    if (!AMOUNT.test(revenue)) return fail('revenue: must be a number, e.g. 42.50');
    if (Number(revenue) < 0) return fail('revenue: must not be negative');
    if (currency !== '' && !CURRENCY.test(currency)) return fail('currency: must be a 3-letter currency code, e.g. USD');
    const properties: Dict = { order_id: orderId, revenue: Number(revenue) };
    if (currency !== '') properties.currency = currency.toUpperCase();
    properties.channel = 'offline';
    if (storeId !== '') properties.store_id = storeId;
    messages.push({ type: 'track', event: 'Order Completed', anonymousId, timestamp: orderDate, properties, messageId: `pos-${orderId}` });
  }
  return { line: row.line, raw: row.raw, messages, error: null };
}
