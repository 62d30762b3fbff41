/**
 * A tiny SQL builder: values always travel as bound parameters; only identifiers and trusted
 * dialect fragments are spliced into the text. Placeholders are `?` (positional), which both
 * DuckDB and the ClickHouse dialect's literal escaper understand.
 */
export type SqlValue = string | number | boolean | bigint | null | Date | readonly string[] | readonly number[];

export interface Sql {
  readonly text: string;
  readonly params: readonly SqlValue[];
}

const SQL_BRAND = Symbol('sql');
type BrandedSql = Sql & { readonly [SQL_BRAND]: true };

function make(text: string, params: readonly SqlValue[]): BrandedSql {
  return { text, params, [SQL_BRAND]: true };
}

export function isSql(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && SQL_BRAND in value;
}

/** Tagged template: `sql\`SELECT * FROM events WHERE type = ${type}\`` binds `type`. Nested Sql is inlined. */
export function sql(strings: TemplateStringsArray, ...values: ReadonlyArray<SqlValue | Sql>): Sql {
  let text = strings[0];
  const params: SqlValue[] = [];
  values.forEach((value, i) => {
    if (isSql(value)) {
      text += value.text;
      params.push(...value.params);
    } else {
      text += '?';
      params.push(value);
    }
    text += strings[i + 1];
  });
  return make(text, params);
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A quoted identifier (table or column). Throws on anything that is not a plain name. */
export function ident(name: string): Sql {
  if (!IDENT.test(name)) throw new Error(`invalid SQL identifier: ${JSON.stringify(name)}`);
  return make(`"${name}"`, []);
}

/** Trusted SQL text (dialect fragments, constants written in code). Never pass user input here. */
export function raw(text: string): Sql {
  return make(text, []);
}

export function join(parts: readonly Sql[], separator = ', '): Sql {
  const text = parts.map((p) => p.text).join(separator);
  return make(text, parts.flatMap((p) => p.params));
}

export const empty: Sql = make('', []);

/** The number of rows an INSERT, UPDATE or DELETE changed: `query` answers it as one row of one count. */
export function changedRows(rows: ReadonlyArray<Record<string, unknown>>): number {
  const first = rows[0];
  return first ? Number(Object.values(first)[0] ?? 0) : 0;
}
