import { parentPort } from 'node:worker_threads';
import { parseRequest, type RawRequest } from './parse-request.ts';

/** Worker side of the parse pool: one request in, its parsed form out. */
parentPort!.on('message', (msg: { id: number; request: RawRequest }) => {
  let result;
  try {
    result = { id: msg.id, parsed: parseRequest(msg.request) };
  } catch (err) {
    result = { id: msg.id, crash: err instanceof Error ? err.message : String(err) };
  }
  parentPort!.postMessage(result);
});
