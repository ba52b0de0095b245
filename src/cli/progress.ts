import type { CliIo } from './io.ts';

export interface ProgressLine {
  update(done: number, last: { host: string; port: number }): void;
  clear(): void;
}

/**
 * `[12/200] 127.0.0.1:8443` on stderr, rewritten in place, when stderr is a terminal;
 * nothing otherwise, so piped and redirected output stays clean. The total is read at
 * each update: it grows while `--all-ips` finds names with several addresses.
 */
export function progressLine(io: CliIo, total: () => number): ProgressLine {
  if (!io.stderrIsTty) return { update: () => undefined, clear: () => undefined };
  let shown = false;
  return {
    update(done, last) {
      const text = `[${done}/${total()}] ${last.host}:${last.port}`.slice(0, 78);
      io.stderr(`\r\x1b[2K${text}`);
      shown = true;
    },
    clear() {
      if (shown) io.stderr('\r\x1b[2K');
      shown = false;
    },
  };
}
