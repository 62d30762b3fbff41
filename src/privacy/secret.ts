import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export const SECRET_FILE = 'secret.key';

/**
 * The deployment secret: the configured one, else the one kept in the data directory, else a new
 * one written there (mode 0600) on first start.
 */
export function loadOrCreateSecret(dataDir: string, configured?: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, SECRET_FILE);
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8').trim();
    if (text.length >= 16) return text;
    throw new Error(`${file} is too short to be a secret (delete it only if the data directory is new)`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  return secret;
}
