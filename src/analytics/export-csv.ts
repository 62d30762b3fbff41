import { stringify } from 'csv-stringify/sync';

/**
 * CSV for spreadsheets (pure): one header row, RFC 4180 quoting (csv-stringify), numbers as
 * plain decimals, null as an empty cell, lists joined by `; `.
 *
 * Text that a spreadsheet would run as a formula (starting with `=`, `@`, a tab or a carriage
 * return, or with `+` / `-` followed by more than digits and phone punctuation) gets a leading
 * `'`: campaign names, trait values and other text come from visitors' URLs and SDK calls, so an
 * export must not carry their formulas into a spreadsheet (OWASP "CSV injection"). Phone numbers
 * such as `+14155550100` and numbers are written as they are.
 */
export type CsvCell = string | number | boolean | null | readonly string[];

const FORMULA_START = /^[=@\t\r]/;
const SIGNED = /^[+-]/;
/** `+1 (415) 555-0100`, `-12.5`: a sign then only digits and phone punctuation, no formula. */
const SIGNED_NUMBER = /^[+-][\d\s().\/-]*$/;

export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) || (SIGNED.test(text) && !SIGNED_NUMBER.test(text)) ? `'${text}` : text;
}

function cell(value: CsvCell): string | number {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? value : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return neutralizeFormula(value.join('; '));
  return neutralizeFormula(value as string);
}

/** The CSV text of a header and rows (one array of cells per row, in column order). */
export function toCsv(columns: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  return stringify([columns.map((c) => neutralizeFormula(c)), ...rows.map((r) => r.map(cell))], { cast: { number: (n) => String(n) } });
}
