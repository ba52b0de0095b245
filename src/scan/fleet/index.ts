// The fleet scanner's public door: plan a fleet, run it, sum it up.
export { type CidrRange, cidrAddresses, cidrSize, parseCidr } from './cidr.ts';
export { parsePorts } from './ports.ts';
export {
  type FleetEntry,
  type FleetTarget,
  type TargetOptions,
  MAX_TARGET_FILE_BYTES,
  parseFleetEntry,
  parseTargetList,
} from './target-list.ts';
export { type FleetPlan, MAX_FLEET_TARGETS, planFleet } from './plan.ts';
export { type ResolvedTarget, MAX_ADDRESSES_PER_NAME, resolveTargets } from './resolve.ts';
export {
  type BackoffPolicy,
  DEFAULT_BACKOFF,
  HostLimiter,
  type HostLimiterOptions,
  type HostSnapshot,
} from './host-limiter.ts';
export { AddressGate } from './address-gate.ts';
export { runBounded } from './run-fleet.ts';
export {
  FleetRun,
  type FleetRunOptions,
  type FleetScanOptions,
  type Interruption,
} from './fleet-run.ts';
export { deadlineReport } from './deadline-report.ts';
export { type FleetSummary, FleetTally, reportLabel } from './summary.ts';
