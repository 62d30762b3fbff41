import { Presets, SingleBar } from 'cli-progress';
import { isCi } from '../config/index.ts';
import { note } from './output.ts';

export interface PhaseProgress {
  update(done: number, total: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr for one phase of long work; where stderr is no terminal (CI, pipes)
 * or output is JSON, one line when the phase ends instead.
 */
export function startPhase(label: string, quiet: boolean): PhaseProgress {
  const interactive = !quiet && process.stderr.isTTY === true && !isCi();
  const started = Date.now();
  if (!interactive) {
    return {
      update: () => undefined,
      stop: () => {
        if (!quiet) note(`${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      },
    };
  }
  const bar = new SingleBar({ stream: process.stderr, format: `${label.padEnd(22)} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`, hideCursor: true }, Presets.shades_classic);
  let begun = false;
  return {
    update(done, total) {
      if (!begun) {
        bar.start(total, 0);
        begun = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (begun) bar.stop();
      note(`${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
  };
}
