// What every `wiretight scan` needs once its arguments are parsed, in one module that
// scan-run.ts imports whole: `wiretight --help` loads none of it, since scan-run.ts itself
// is loaded only when a scan runs. What only some scans need is loaded on demand by
// scan-run.ts: the fleet loop (scan-fleet.ts), --grab, --policy, --ca, the text renderer
// and the document formats (SARIF, JUnit, HTML).
export { scanEndpoint } from '../../scan/engine.ts';
export { DEFAULT_PORT, defaultSni } from '../../scan/target.ts';
export { defaultDialer } from '../../probe/connection.ts';
export { renderJson } from '../../report/json.ts';
export { renderNdjson } from '../../report/ndjson.ts';
export { failOnReasons } from '../../scan/fail-on.ts';
export { parseFleetEntry, parseTargetList } from '../../scan/fleet/target-list.ts';
export { planFleet } from '../../scan/fleet/plan.ts';
export { resolveTarget, resolverFor } from '../../scan/fleet/resolve.ts';
export { HostLimiter } from '../../scan/fleet/host-limiter.ts';
export { deadlineReport } from '../../scan/fleet/deadline-report.ts';
