import type { Store } from '../store/index.ts';
import { decryptText, newDataKey, unwrapKey, wrapKey, wrappingKey, type DataKey } from './pii-crypto.ts';
import { insertPiiKeySql, listPiiKeysSql, type PiiKeyRow } from './pii-keys.sql.ts';

/** A data key as listed to administrators: never its bytes. */
export interface PiiKeyInfo {
  readonly id: string;
  readonly createdAt: string;
  readonly current: boolean;
}

/**
 * The data keys of a deployment. They live in the store wrapped under a key derived from the
 * deployment secret (so a copy of the database alone reveals nothing), are unwrapped once at
 * start, and only grow: rotation adds a key that seals new values while every older key stays
 * to read what it sealed.
 */
export class PiiKeyring {
  private keys = new Map<string, DataKey>();
  private rows: PiiKeyRow[] = [];

  private constructor(
    private readonly store: Store,
    private readonly secret: string,
  ) {}

  /** Loads the keyring, creating the first key on a new data directory. */
  static async open(store: Store, secret: string): Promise<PiiKeyring> {
    const ring = new PiiKeyring(store, secret);
    await ring.reload();
    if (ring.rows.length === 0) await ring.rotate();
    return ring;
  }

  private async reload(): Promise<void> {
    const wrapping = wrappingKey(this.secret);
    this.rows = await this.store.query<PiiKeyRow>(listPiiKeysSql());
    this.keys = new Map(this.rows.map((r) => [r.key_id, unwrapKey(wrapping, r.key_id, r.wrapped)]));
  }

  /** The key new values are sealed with. */
  get current(): DataKey {
    const last = this.rows[this.rows.length - 1];
    return this.keys.get(last.key_id)!;
  }

  /** Decrypts a sealed value's text with whichever key sealed it. */
  readonly open = (ciphertext: string): string => decryptText(this.keys, ciphertext);

  list(): PiiKeyInfo[] {
    const current = this.rows[this.rows.length - 1]?.key_id;
    return this.rows.map((r) => ({ id: r.key_id, createdAt: new Date(Number(r.created_ms)).toISOString(), current: r.key_id === current }));
  }

  /** Adds a new data key (`k1`, `k2`, …) and makes it current; answers its id. */
  async rotate(now = new Date()): Promise<string> {
    const used = new Set(this.rows.map((r) => r.key_id));
    let n = this.rows.length + 1;
    while (used.has(`k${n}`)) n++;
    const key = newDataKey(`k${n}`);
    await this.store.exec(insertPiiKeySql(key.id, now, wrapKey(wrappingKey(this.secret), key)));
    await this.reload();
    return key.id;
  }
}
