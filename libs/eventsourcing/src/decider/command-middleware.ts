import { ConcurrencyError, isDomainError } from '../errors';

/** What a middleware learns of a command: its name (the command's `type`) and its primary stream. */
export interface CommandInfo {
  readonly command: string;
  readonly streamId: string;
}

/**
 * A cross-cutting concern around every command of a service (metrics, logs, spans), set once on
 * its command handlers: it calls `next` exactly once and returns or throws what it gives.
 */
export type CommandMiddleware = <R>(info: CommandInfo, next: () => Promise<R>) => Promise<R>;

export type CommandOutcome = 'ok' | 'refused' | 'conflict' | 'failed';

/** Sees every command once it is handled: feeds the command latency metric. */
export type CommandObserver = (observation: { command: string; outcome: CommandOutcome; seconds: number }) => void;

/** The middleware that reports each command's outcome and duration (`pcn_command_duration_seconds`). */
export function observeCommands(observe: CommandObserver): CommandMiddleware {
  return async (info, next) => {
    const started = process.hrtime.bigint();
    const report = (outcome: CommandOutcome): void => observe({ command: info.command, outcome, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    try {
      const result = await next();
      report('ok');
      return result;
    } catch (error) {
      report(error instanceof ConcurrencyError ? 'conflict' : isDomainError(error) ? 'refused' : 'failed');
      throw error;
    }
  };
}

/** Runs `next` inside the middleware, the first one outermost. */
export function throughMiddleware<R>(middleware: readonly CommandMiddleware[], info: CommandInfo, next: () => Promise<R>): Promise<R> {
  return middleware.reduceRight<() => Promise<R>>((inner, outer) => () => outer(info, inner), next)();
}
