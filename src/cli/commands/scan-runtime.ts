// What `wiretight scan` needs once its arguments are parsed, in one module so the bundle
// loads it as one lazily imported unit: `wiretight --help` pays for none of it, and a scan
// resolves one import instead of four.
export { scanEndpoint } from '../../scan/engine.ts';
export { parseTarget } from '../../scan/target.ts';
export {
  renderHtml,
  renderJson,
  renderJunit,
  renderNdjson,
  renderSarif,
  renderText,
} from '../../report/index.ts';
export { failOnReasons } from '../../scan/fail-on.ts';
export { parseTargetList } from '../../scan/fleet/target-list.ts';
export { runBounded } from '../../scan/fleet/run-fleet.ts';
export { FleetTally } from '../../scan/fleet/summary.ts';
export { renderSummary } from '../../report/summary-text.ts';
