import { loadOrCreateSecret } from '../../src/privacy/index.ts';
import { PiiKeyring } from '../../src/privacy/pii-keys.ts';
import { revealDocument, type Section } from '../../src/privacy/personal-data.ts';
import { openStore } from '../../src/store/index.ts';

/** Opens the sealed personal data of a data directory (no server may hold it). */
export async function openerFor(dataDir: string): Promise<(ciphertext: string) => string> {
  const store = await openStore(dataDir);
  try {
    const ring = await PiiKeyring.open(store, loadOrCreateSecret(dataDir));
    return ring.open;
  } finally {
    await store.close();
  }
}

/** A stored JSON document (text) with its sealed values opened. */
export function revealed(open: (c: string) => string, text: string, section: Section): Record<string, unknown> {
  return revealDocument(JSON.parse(text) as Record<string, unknown>, section, open, 'clear');
}
