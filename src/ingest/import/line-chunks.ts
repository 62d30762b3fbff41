import fs from 'node:fs/promises';

/** Bytes per NDJSON chunk handed to a worker: large enough that per-chunk costs vanish. */
export const NDJSON_CHUNK_BYTES = 4 * 1024 * 1024;

const NEWLINE = 10;

/**
 * Reads a file in large buffered reads and yields chunks that end at a line boundary (the last
 * chunk may end without a newline). Each chunk has an ArrayBuffer of its own, so it can be
 * transferred to a worker. A line longer than `chunkBytes` makes its chunk larger.
 */
export async function* readLineChunks(file: string, chunkBytes = NDJSON_CHUNK_BYTES): AsyncGenerator<Uint8Array> {
  const handle = await fs.open(file, 'r');
  try {
    let carry: Buffer | null = null;
    for (;;) {
      const buf = Buffer.allocUnsafeSlow((carry?.length ?? 0) + chunkBytes);
      let used = 0;
      if (carry) used = carry.copy(buf, 0);
      carry = null;
      const { bytesRead } = await handle.read(buf, used, buf.length - used, null);
      used += bytesRead;
      if (bytesRead === 0) {
        if (used > 0) yield buf.subarray(0, used);
        return;
      }
      const last = buf.lastIndexOf(NEWLINE, used - 1);
      if (last === -1) {
        carry = Buffer.from(buf.subarray(0, used));
        continue;
      }
      if (last + 1 < used) carry = Buffer.from(buf.subarray(last + 1, used));
      yield buf.subarray(0, last + 1);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Splits NDJSON bytes into copies of about `maxBytes` that end at line boundaries (to spread one
 * request body over the workers). Each piece has an ArrayBuffer of its own.
 */
export function splitAtLines(bytes: Uint8Array, maxBytes: number): Uint8Array[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pieces: Uint8Array[] = [];
  let start = 0;
  while (start < buf.length) {
    let end = buf.length;
    if (buf.length - start > maxBytes) {
      const cut = buf.lastIndexOf(NEWLINE, start + maxBytes - 1);
      end = cut >= start ? cut + 1 : buf.indexOf(NEWLINE, start + maxBytes) + 1 || buf.length;
    }
    pieces.push(new Uint8Array(buf.subarray(start, end)));
    start = end;
  }
  return pieces;
}

/** Newlines in a byte range (line numbers of the next chunk when a client sends chunks). */
export function countLines(bytes: Uint8Array): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let n = 0;
  for (let i = buf.indexOf(NEWLINE); i !== -1; i = buf.indexOf(NEWLINE, i + 1)) n++;
  return n;
}
