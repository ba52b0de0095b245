// What `wiretight scan` needs once its arguments are parsed, in one module so the bundle
// loads it as one lazily imported unit: `wiretight --help` pays for none of it, and a scan
// resolves one import instead of several. The document formats (SARIF, JUnit, HTML) are
// loaded only when asked for.
export { scanEndpoint } from '../../scan/engine.ts';
export { defaultSni } from '../../scan/target.ts';
export { renderJson } from '../../report/json.ts';
export { renderNdjson } from '../../report/ndjson.ts';
export { renderText } from '../../report/text.ts';
export { failOnReasons } from '../../scan/fail-on.ts';
export { parseFleetEntry, parseTargetList } from '../../scan/fleet/target-list.ts';
export { planFleet } from '../../scan/fleet/plan.ts';
export { FleetRun } from '../../scan/fleet/fleet-run.ts';
export { HostLimiter } from '../../scan/fleet/host-limiter.ts';
export { deadlineReport } from '../../scan/fleet/deadline-report.ts';
export { FleetTally, reportLabel } from '../../scan/fleet/summary.ts';
export { renderSummary } from '../../report/summary-text.ts';
