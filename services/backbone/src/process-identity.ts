import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who a process is, beyond its pid (pids are reused): the host, and on Linux the boot and the
 * process's start time since boot, which together name one process for good.
 */
export interface ProcessIdentity {
  readonly pid: number;
  readonly host: string;
  readonly bootId?: string;
  readonly startTime?: string;
}

export function processIdentity(pid: number = process.pid): ProcessIdentity {
  const bootId = currentBootId();
  const startTime = startTimeOf(pid);
  return { pid, host: hostname(), ...(bootId && { bootId }), ...(startTime && { startTime }) };
}

/**
 * `alive`: that very process still runs (even if stopped or frozen). `dead`: it does not (no such
 * pid, the pid now belongs to a process started later, or the machine rebooted since).
 * `unknown`: it ran on another host, which cannot be checked from here.
 */
export function processLiveness(identity: ProcessIdentity): 'alive' | 'dead' | 'unknown' {
  if (identity.host !== hostname()) return 'unknown';
  const bootId = currentBootId();
  if (identity.bootId && bootId && identity.bootId !== bootId) return 'dead';
  try {
    process.kill(identity.pid, 0);
  } catch (error) {
    // EPERM: the pid exists but belongs to another user: alive, as far as we can tell.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'dead';
  }
  const startTime = startTimeOf(identity.pid);
  if (identity.startTime && startTime && identity.startTime !== startTime) return 'dead';
  return 'alive';
}

function currentBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined; // not Linux: the pid and host are all we have
  }
}

/** Field 22 of /proc/<pid>/stat (clock ticks since boot); the command name before it may hold spaces and parentheses. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
