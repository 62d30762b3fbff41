/**
 * Masking of personal data for display: enough to recognise a value, not to use it.
 * `jane.doe@example.com` → `j•••@example.com`, `+14155550123` → `•••••••0123`, `Jane` → `J•••`.
 */
const PII_KEY = /^(e-?mail|phone|mobile|tel|telephone|first_?name|last_?name|name|full_?name|birthday|birth_?date|dob|address|street|street2|postal_?code|zip|ip|ssn)$/i;

export function isPersonalKey(key: string): boolean {
  return PII_KEY.test(key);
}

export function maskValue(key: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'object') return Array.isArray(value) ? value.map((v) => maskValue(key, v)) : maskTraits(value as Record<string, unknown>);
  const text = String(value).trim();
  if (/e-?mail/i.test(key) && text.includes('@')) {
    const [local, domain] = text.toLowerCase().split('@');
    return `${local.slice(0, 1)}•••@${domain}`;
  }
  if (/phone|mobile|tel/i.test(key)) return '•'.repeat(Math.max(0, text.length - 4)) + text.slice(-4);
  return text.length <= 1 ? '•' : `${text.slice(0, 1)}•••`;
}

/** A copy of `traits` with personal fields masked (recursively, e.g. `address.street`). */
export function maskTraits(traits: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(traits)) {
    if (isPersonalKey(key)) out[key] = maskValue(key, value);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) out[key] = maskTraits(value as Record<string, unknown>);
    else out[key] = value;
  }
  return out;
}
