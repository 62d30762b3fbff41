/**
 * Masking of personal data for display: enough to recognise a value, not to use it.
 * `jane.doe@example.com` → `j•••@example.com`, `+14155550123` → `•••••••0123`, `Jane` → `J•••`.
 * Which fields are personal is decided in personal-data.ts; under a personal field, every value
 * of a list or an object is masked as that field.
 */
export function maskValue(key: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((v) => maskValue(key, v));
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValue(key, v)]));
  const text = String(value).trim();
  if (/e-?mail/i.test(key) && text.includes('@')) {
    const [local, domain] = text.toLowerCase().split('@');
    return `${local.slice(0, 1)}•••@${domain}`;
  }
  if (/phone|mobile|tel/i.test(key)) return '•'.repeat(Math.max(0, text.length - 4)) + text.slice(-4);
  return text.length <= 1 ? '•' : `${text.slice(0, 1)}•••`;
}
