import { z } from 'zod';
import { TributaryError } from '../errors/index.ts';
import { sql, type Store } from '../store/index.ts';

/**
 * Conversion definitions: which track event counts as a conversion and which property holds its
 * value. Several may exist; one is the default (`Order Completed` worth `properties.revenue`).
 */
export interface ConversionDefinition {
  name: string;
  event: string;
  valueProperty: string;
  currencyProperty: string;
  isDefault: boolean;
}

const PROPERTY = /^[A-Za-z0-9_$-]+$/;

export const conversionDefinitionSchema = z.object({
  name: z.string().trim().min(1, 'name: must not be empty').max(200),
  event: z.string().trim().min(1, 'event: must not be empty').max(512),
  valueProperty: z.string().regex(PROPERTY, 'valueProperty: a property name of letters, digits, _ $ -').default('revenue'),
  currencyProperty: z.string().regex(PROPERTY, 'currencyProperty: a property name of letters, digits, _ $ -').default('currency'),
  isDefault: z.boolean().default(false),
});

interface Row {
  name: string;
  event: string;
  value_property: string;
  currency_property: string;
  is_default: boolean;
}

const toDefinition = (r: Row): ConversionDefinition => ({
  name: r.name,
  event: r.event,
  valueProperty: r.value_property,
  currencyProperty: r.currency_property,
  isDefault: r.is_default,
});

export async function listConversionDefinitions(store: Store): Promise<ConversionDefinition[]> {
  return (await store.query<Row>(sql`SELECT * FROM conversion_definitions ORDER BY is_default DESC, name`)).map(toDefinition);
}

/** A definition by name, or the default one. */
export async function getConversionDefinition(store: Store, name: string | null): Promise<ConversionDefinition> {
  const rows = await store.query<Row>(
    name === null
      ? sql`SELECT * FROM conversion_definitions ORDER BY is_default DESC, created_at LIMIT 1`
      : sql`SELECT * FROM conversion_definitions WHERE name = ${name}`,
  );
  if (rows.length === 0) {
    const known = await listConversionDefinitions(store);
    throw new TributaryError('bad_request', `conversion: unknown definition "${name}" (known: ${known.map((k) => k.name).join(', ') || 'none'})`);
  }
  return toDefinition(rows[0]);
}

/** Creates or replaces a definition; making it the default clears the previous default. */
export async function saveConversionDefinition(store: Store, input: unknown): Promise<ConversionDefinition> {
  const parsed = conversionDefinitionSchema.safeParse(input);
  if (!parsed.success) throw new TributaryError('bad_request', parsed.error.issues.map((i) => i.message).join('; '));
  const d = parsed.data;
  await store.transaction(async (tx) => {
    if (d.isDefault) await tx.exec(sql`UPDATE conversion_definitions SET is_default = FALSE WHERE is_default`);
    await tx.exec(sql`INSERT OR REPLACE INTO conversion_definitions (name, event, value_property, currency_property, is_default, created_at)
      VALUES (${d.name}, ${d.event}, ${d.valueProperty}, ${d.currencyProperty}, ${d.isDefault}, ${new Date()})`);
  });
  return getConversionDefinition(store, d.name);
}

/** Removes a definition; the default one cannot be removed (make another the default first). */
export async function removeConversionDefinition(store: Store, name: string): Promise<void> {
  const definition = await getConversionDefinition(store, name);
  if (definition.isDefault) throw new TributaryError('bad_request', `conversion: "${name}" is the default; make another definition the default first`);
  await store.exec(sql`DELETE FROM conversion_definitions WHERE name = ${name}`);
}
