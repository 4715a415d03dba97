import { Presets, SingleBar } from 'cli-progress';

/** A progress bar, or nothing when the output is a log file (`--no-progress`). */
export interface Progress {
  start(total: number, startValue: number, payload?: object): void;
  update(value: number, payload?: object): void;
  stop(): void;
}

/** Where a command writes: the summary on `out`, errors and per-line reports on `err`. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** A bar with the given format (cli-progress tokens), started by the command. */
  progress(format: string): Progress;
}

const silent: Progress = { start: () => undefined, update: () => undefined, stop: () => undefined };

/** The process's streams, with a cli-progress bar on stderr when asked and stderr is a terminal. */
export function processIo(showProgress: boolean): CliIo {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    progress: (format) =>
      showProgress && process.stderr.isTTY ? new SingleBar({ format, stream: process.stderr, hideCursor: true }, Presets.shades_classic) : silent,
  };
}
