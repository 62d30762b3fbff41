import { parentPort } from 'node:worker_threads';
import { runTask } from './process-task.ts';
import type { ImportTask } from './types.ts';

/** Worker side of the import pool: one task in, its result out. */
parentPort!.on('message', (msg: { id: number; task: ImportTask }) => {
  let answer;
  try {
    answer = { id: msg.id, result: runTask(msg.task) };
  } catch (err) {
    answer = { id: msg.id, crash: err instanceof Error ? err.message : String(err) };
  }
  parentPort!.postMessage(answer);
});
