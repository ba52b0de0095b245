// `wiretight scan --grab`: the fleet loop of scan-run.ts with the grab in place of the full
// scan. Loaded only with --grab, so a full scan pays for none of it.
import { renderGrabSummary, renderGrabText } from '../../report/grab-text.ts';
import { renderJson } from '../../report/json.ts';
import { renderNdjson } from '../../report/ndjson.ts';
import type { ScanOptions } from '../../scan/engine.ts';
import { failOnReasons } from '../../scan/fail-on.ts';
import { deadlineReport } from '../../scan/fleet/deadline-report.ts';
import { grabEndpoint, grabReportFromFacts } from '../../scan/grab/grab.ts';
import type { GrabReport } from '../../scan/grab/report.ts';
import { GrabTally } from '../../scan/grab/tally.ts';
import { defaultSni } from '../../scan/target.ts';
import { type CliIo, wantsColor } from '../io.ts';
import { type FleetMode, type FleetWriter, optionsFor } from './scan-run.ts';
import type { ScanFlags } from './scan.ts';

export function grabMode(
  flags: ScanFlags,
  base: ScanOptions,
  io: CliIo,
  fleet: boolean,
): FleetMode<GrabReport> {
  return {
    scan: (target, options) => {
      const o = optionsFor(target, base);
      // A grab contacts only its target: no AIA, OCSP or CRL fetches whatever --fetch says.
      return grabEndpoint(target, {
        ...(o.sni === undefined ? {} : { sni: o.sni }),
        ...(o.starttls === undefined ? {} : { starttls: o.starttls }),
        ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
        ...(o.trust === undefined ? {} : { trust: o.trust }),
        ...(o.expiryWarningDays === undefined ? {} : { expiryWarningDays: o.expiryWarningDays }),
        ...options,
      });
    },
    interrupted: (target, how) => {
      const sni = optionsFor(target, base).sni;
      return grabReportFromFacts(
        deadlineReport(target, sni === undefined ? defaultSni(target.host) : sni, how),
      );
    },
    writer: grabWriter(flags, io, fleet, base.expiryWarningDays ?? 30),
    gates: (report) => failOnReasons(report, flags.failOn),
  };
}

/** Text as a few lines per target and a summary; JSON as an array; NDJSON a line each. */
function grabWriter(
  flags: ScanFlags,
  io: CliIo,
  fleet: boolean,
  expiryWarningDays: number,
): FleetWriter<GrabReport> {
  const color = flags.output === undefined && wantsColor(io, flags.color);
  const tally = new GrabTally(expiryWarningDays);
  let written = 0;
  return {
    add(report) {
      tally.add(report);
      if (flags.format === 'text') io.stdout(renderGrabText(report, { color }));
      else if (flags.format === 'ndjson') io.stdout(renderNdjson(report));
      else if (!fleet) io.stdout(renderJson(report));
      else io.stdout(`${written > 0 ? ',\n' : '[\n'}${renderJson(report).trimEnd()}`);
      written++;
    },
    finish(notScanned) {
      tally.addNotScanned(notScanned);
      if (flags.format === 'text' && fleet) {
        io.stdout(`\n${renderGrabSummary(tally.summary(), { color })}`);
      } else if (flags.format === 'json' && fleet) {
        io.stdout(written > 0 ? '\n]\n' : '[]\n');
      }
      return Promise.resolve();
    },
  };
}
