import { WiretightError } from '../../errors.ts';
import { DEFAULT_PORT } from '../target.ts';
import { cidrAddresses, cidrSize } from './cidr.ts';
import type { FleetEntry, FleetTarget } from './target-list.ts';

/**
 * The most targets one fleet scan takes: a /16 on one port. Beyond that a typo
 * (`10.0.0.0/8`) would mean weeks of scanning, so the user is asked to split the range.
 */
export const MAX_FLEET_TARGETS = 65_536;

/** Every target of a fleet, counted up front and produced one at a time. */
export interface FleetPlan {
  /** How many targets `targets()` yields. */
  readonly total: number;
  /** A fresh iterator over the targets: ranges are expanded lazily, never into an array. */
  targets(): Iterable<FleetTarget>;
}

const count = (n: bigint): string => n.toLocaleString('en-US');

/**
 * Expands the entries: a range to each of its addresses, an entry without a port to each
 * of `ports` (an entry that names its port keeps it). Ranges go port by port, each over
 * every address, so consecutive targets land on different hosts. Refuses a fleet larger
 * than `maxTargets`, naming the count and the entry that makes it so.
 */
export function planFleet(
  entries: readonly FleetEntry[],
  ports: readonly number[] = [DEFAULT_PORT],
  maxTargets = MAX_FLEET_TARGETS,
): FleetPlan {
  if (ports.length === 0) throw new RangeError('planFleet needs at least one port');
  let total = 0n;
  let largest: { entry: FleetEntry; size: bigint; ports: number } | undefined;
  for (const entry of entries) {
    const size = entry.range === undefined ? 1n : cidrSize(entry.range);
    const portCount = entry.port === undefined ? ports.length : 1;
    total += size * BigInt(portCount);
    if (largest === undefined || size * BigInt(portCount) > largest.size * BigInt(largest.ports)) {
      largest = { entry, size, ports: portCount };
    }
  }
  if (total > BigInt(maxTargets)) {
    const why =
      largest?.entry.range === undefined
        ? `${entries.length.toLocaleString('en-US')} entries`
        : `${largest.entry.host} is ${count(largest.size)} address${largest.size === 1n ? '' : 'es'} × ${largest.ports} port${largest.ports === 1 ? '' : 's'}`;
    throw new WiretightError(
      'WT_ERR_TARGET_INVALID',
      `the fleet is ${count(total)} targets (${why}), more than the ${count(BigInt(maxTargets))} one scan takes: split it`,
    );
  }
  return { total: Number(total), targets: () => expand(entries, ports) };
}

function* expand(entries: readonly FleetEntry[], ports: readonly number[]): Generator<FleetTarget> {
  for (const entry of entries) {
    const { range, port: named, host, ...rest } = entry;
    const entryPorts = named === undefined ? ports : [named];
    for (const port of entryPorts) {
      if (range === undefined) {
        yield { ...rest, host, port };
        continue;
      }
      for (const address of cidrAddresses(range)) yield { ...rest, host: address, port };
    }
  }
}
