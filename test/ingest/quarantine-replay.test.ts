/**
 * Rejected messages back out of the quarantine: a kept payload becomes the messages to fix and
 * import again, personal data opened; what cannot be a message says why.
 */
import { describe, expect, it } from 'vitest';
import { decryptText, newDataKey } from '../../src/privacy/pii-crypto.ts';
import { createSealer, sealPayload } from '../../src/privacy/personal-data.ts';
import { createIdentifierHasher } from '../../src/identity/index.ts';
import { payloadText, QUARANTINE_PAYLOAD_MAX, replayableMessages } from '../../src/ingest/quarantine.ts';
import { cannotOpen } from '../../src/privacy/index.ts';

const SECRET = 'a-deployment-secret-of-some-length';
const hash = createIdentifierHasher(SECRET);
const key = newDataKey('k1');
const open = (c: string) => decryptText(new Map([[key.id, key]]), c);
const sealer = createSealer({ key, secret: SECRET, extraFields: [], contactHash: (kind, value) => hash(kind, String(value)) });
/** What the quarantine keeps for a payload: sealed, as JSON text. */
const kept = (payload: unknown): string => payloadText(sealPayload(sealer, payload))!;

describe('replayableMessages', () => {
  it('gives a rejected message back with its personal data opened', () => {
    const message = { type: 'identify', userId: 'u1', timestamp: 'last tuesday', traits: { email: 'jane@example.com', plan: 'pro' } };
    const stored = kept(message);
    expect(stored).not.toContain('jane@example.com');
    expect(replayableMessages(stored, open)).toEqual({ messages: [message] });
  });

  it('gives each message of a batch rejected as a whole, and leaves out what is not a message', () => {
    const a = { type: 'track', userId: 'u1', event: 'A', properties: { phone: '+15550100' } };
    const b = { type: 'track', userId: 'u2', event: 'B' };
    expect(replayableMessages(kept({ batch: [a, 'not a message', b], sentAt: '2024-05-01T00:00:00Z' }), open)).toEqual({ messages: [a, b] });
    expect(replayableMessages(kept({ batch: 'x' }), open)).toEqual({ skipped: 'a batch without messages' });
    expect(replayableMessages(kept({ batch: [] }), open)).toEqual({ skipped: 'a batch without messages' });
  });

  it('says why a kept body cannot be imported again', () => {
    expect(replayableMessages(null, open)).toEqual({ skipped: 'nothing was kept' });
    // A body that was not JSON is sealed whole; opened, it is still not a message.
    expect(replayableMessages(kept('email=jane@example.com&event=x'), open)).toEqual({ skipped: 'the body was not JSON' });
    expect(replayableMessages('[1, 2]', open)).toEqual({ skipped: 'not a JSON object' });
    const long = JSON.stringify({ type: 'track', event: 'x', properties: { blob: 'y'.repeat(QUARANTINE_PAYLOAD_MAX) } });
    expect(replayableMessages(payloadText(long), open)).toEqual({ skipped: `cut at ${QUARANTINE_PAYLOAD_MAX} bytes` });
  });

  it('without the key, a sealed value stays unreadable rather than failing the export', () => {
    const replay = replayableMessages(kept({ type: 'identify', userId: 'u1', traits: { email: 'jane@example.com' } }), cannotOpen);
    expect('messages' in replay && (replay.messages[0].traits as Record<string, unknown>).email).toMatch(/encrypted: key unavailable/);
  });
});
