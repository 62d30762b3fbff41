/** Chart colours with at least 3:1 contrast on white, in a stable order (channel i gets colour i). */
export const PALETTE = ['#2563eb', '#d97706', '#059669', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#475569', '#b45309', '#4f46e5', '#0d9488'];

/** A colour per key that stays the same wherever the key appears (same channel, same colour). */
export function colorFor(key: string, keys: readonly string[]): string {
  const i = keys.indexOf(key);
  return PALETTE[(i < 0 ? 0 : i) % PALETTE.length];
}
