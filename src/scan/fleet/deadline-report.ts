import { failedReport } from '../assemble.ts';
import { judge } from '../judge.ts';
import type { ScanReport } from '../report.ts';
import type { ScanTarget } from '../target.ts';
import type { Interruption } from './fleet-run.ts';

/**
 * The report of a scan a deadline stopped: not TLS as far as anyone can tell, with the
 * WT_ERR_SCAN_DEADLINE error and no other facts. What the scan had seen is dropped on
 * purpose: a half-finished enumeration would read as a server that accepts less.
 */
export function deadlineReport(
  target: ScanTarget,
  sni: string | null,
  how: Interruption,
  now: () => number = Date.now,
): ScanReport {
  return judge(failedReport(target, how.address, sni, how.started, now, how.handshakes, how.error));
}
