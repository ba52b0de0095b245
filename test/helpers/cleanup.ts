// Synchronous last-resort cleanup when the test process ends: on a normal exit, and on
// SIGINT/SIGTERM/SIGHUP, where Node would otherwise die without running 'exit' handlers
// (the handler cleans up, then re-raises the signal so the process still dies of it).
import { rmSync } from 'node:fs';

const tasks = new Set<() => void>();
let hooked = false;

function runAll(): void {
  for (const task of tasks) {
    try {
      task();
    } catch {
      // best effort: one failure must not stop the others
    }
  }
  tasks.clear();
}

/** Runs task (synchronous) when the process exits or is signalled; returns an unregister. */
export function atExit(task: () => void): () => void {
  if (!hooked) {
    hooked = true;
    process.on('exit', runAll);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(sig, () => {
        runAll();
        process.kill(process.pid, sig);
      });
    }
  }
  tasks.add(task);
  return () => tasks.delete(task);
}

/** Removes a temp dir at exit. */
export function removeAtExit(dir: string): () => void {
  return atExit(() => rmSync(dir, { recursive: true, force: true }));
}
