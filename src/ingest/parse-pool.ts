import { Worker } from 'node:worker_threads';
import { parseRequest, type ParsedRequest, type RawRequest } from './parse-request.ts';

/** Requests smaller than this are parsed on the event loop: a thread hop costs more than they do. */
const INLINE_BYTES = 16 * 1024;

interface Pending {
  resolve(parsed: ParsedRequest): void;
  reject(err: Error): void;
}

/**
 * Parses request bodies on worker threads so JSON parsing and validation (most of ingestion's
 * CPU) run beside the event loop, which keeps HTTP and the store's appends. Workers are started
 * lazily and replaced if one dies.
 */
export class ParsePool {
  private workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly owner = new Map<number, Worker>();
  private nextId = 0;
  private next = 0;
  private closed = false;

  constructor(private readonly size: number) {}

  parse(request: RawRequest): Promise<ParsedRequest> {
    if (this.size === 0 || request.body.byteLength < INLINE_BYTES || this.closed) return Promise.resolve(parseRequest(request));
    const worker = this.pick();
    const id = this.nextId++;
    // Copy into a buffer of its own and transfer it: Fastify's buffer may share a pooled one.
    const body = new Uint8Array(request.body);
    return new Promise<ParsedRequest>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.owner.set(id, worker);
      worker.postMessage({ id, request: { ...request, body } }, [body.buffer]);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private pick(): Worker {
    if (this.workers.length < this.size) this.workers.push(this.spawn());
    return this.workers[this.next++ % this.workers.length];
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('./parse-worker-entry.mjs', import.meta.url));
    worker.unref();
    worker.on('message', (msg: { id: number; parsed?: ParsedRequest; crash?: string }) => {
      const waiter = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      this.owner.delete(msg.id);
      if (!waiter) return;
      if (msg.parsed) waiter.resolve(msg.parsed);
      else waiter.reject(new Error(`ingest parser failed: ${msg.crash}`));
    });
    worker.on('error', (err) => this.fail(worker, err));
    worker.on('exit', (code) => this.fail(worker, new Error(`ingest parser thread exited with code ${code}`)));
    return worker;
  }

  /** A dead worker's requests fail (the client retries); the next request starts a new one. */
  private fail(worker: Worker, err: Error): void {
    this.workers = this.workers.filter((w) => w !== worker);
    for (const [id, owner] of this.owner) {
      if (owner !== worker) continue;
      this.pending.get(id)?.reject(err);
      this.pending.delete(id);
      this.owner.delete(id);
    }
  }
}
