/** Failure analysis: exit code/signal/result → a plain-language cause. Pure functions. */
import { constants } from 'node:os';

const SIGNAL_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(constants.signals).map(([name, num]) => [num, name]),
);

export function signalName(num: number): string {
  return SIGNAL_NAMES[num] ?? `signal ${num}`;
}

/** CLD_* codes systemd reports in ExecMainCode. */
const CLD_EXITED = 1;
const CLD_KILLED = 2;
const CLD_DUMPED = 3;

export interface FailureFacts {
  activeState: string;
  result: string;
  execMainCode: number;
  execMainStatus: number;
}

export function exitFacts(f: FailureFacts): { exitCode: number | null; signal: string | null } {
  if (f.execMainCode === CLD_EXITED) return { exitCode: f.execMainStatus, signal: null };
  if (f.execMainCode === CLD_KILLED || f.execMainCode === CLD_DUMPED)
    return { exitCode: null, signal: signalName(f.execMainStatus) };
  return { exitCode: null, signal: null };
}

/** One sentence a person understands, from systemd's Result and the main process's exit. */
export function explainFailure(f: FailureFacts): string {
  const { exitCode, signal } = exitFacts(f);
  switch (f.result) {
    case 'signal':
      if (signal === 'SIGKILL')
        return 'The main process was killed with SIGKILL (by a person, a script or the kernel OOM killer).';
      return `The main process was terminated by ${signal ?? 'a signal'}.`;
    case 'core-dump':
      return `The main process crashed (${signal ?? 'signal'}, core dumped): a bug in the program or a bad input.`;
    case 'exit-code':
      if (exitCode === 203)
        return 'systemd could not execute the program (exit 203/EXEC): wrong path or missing binary.';
      if (exitCode === 217) return 'The configured User= does not exist (exit 217/USER).';
      if (exitCode === 200) return 'systemd could not change into the working directory (exit 200/CHDIR).';
      return `The main process exited with status ${exitCode ?? '?'} (an error the program reported).`;
    case 'timeout':
      return 'Starting or stopping took longer than its timeout (TimeoutStartSec/TimeoutStopSec).';
    case 'watchdog':
      return 'The service stopped answering its watchdog (hung).';
    case 'start-limit-hit':
      return "systemd's start limit was hit: it restarted too often and refuses further starts until reset-failed.";
    case 'resources':
      return 'systemd could not set up the resources the service needs (a missing file, directory, user or socket).';
    case 'oom-kill':
      return 'The kernel OOM killer ended it: the system or its cgroup ran out of memory.';
    case 'exec-condition':
    case 'condition':
      return 'A start condition was not met.';
    case 'protocol':
      return 'The service broke its start-up protocol (e.g. never sent READY=1 or wrote no PID file).';
    case 'success':
    case '':
      if (f.activeState === 'inactive') return 'It stopped cleanly (not a failure).';
      return 'It is not running.';
    default:
      return `systemd reports result "${f.result}".`;
  }
}

/** Would systemd's own Restart= setting restart a unit that ended with this result? */
export function systemdWouldRestart(restart: string, result: string): boolean {
  const abnormal = ['signal', 'core-dump', 'timeout', 'watchdog'];
  switch (restart) {
    case 'always':
      return true;
    case 'on-success':
      return result === 'success';
    case 'on-failure':
      return result !== 'success' && result !== '';
    case 'on-abnormal':
      return abnormal.includes(result);
    case 'on-abort':
      return result === 'signal' || result === 'core-dump';
    case 'on-watchdog':
      return result === 'watchdog';
    default:
      return false;
  }
}

/** Backoff before the next automatic attempt: the first is immediate, then initial × 2^(n-1), capped. */
export function backoffMs(consecutiveFailed: number, initialSec: number, maxSec: number): number {
  if (consecutiveFailed <= 0) return 0;
  const ms = initialSec * 1000 * 2 ** Math.min(consecutiveFailed - 1, 30);
  return Math.min(ms, maxSec * 1000);
}

/** Returns target names that sit on a dependency cycle (dependsOn edges among known targets). */
export function findCycles(deps: Map<string, string[]>): Set<string> {
  const onCycle = new Set<string>();
  const state = new Map<string, 0 | 1 | 2>();
  const stack: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 1);
    stack.push(n);
    for (const d of deps.get(n) ?? []) {
      if (!deps.has(d)) continue;
      const s = state.get(d) ?? 0;
      if (s === 0) visit(d);
      else if (s === 1) {
        for (let i = stack.lastIndexOf(d); i < stack.length; i++) onCycle.add(stack[i] as string);
      }
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of deps.keys()) if ((state.get(n) ?? 0) === 0) visit(n);
  return onCycle;
}
