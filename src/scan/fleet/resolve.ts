import { WiretightError } from '../../errors.ts';
import { type AddressLookup, type Resolver, defaultAddressLookup, ipVersion } from '../target.ts';
import type { FleetTarget } from './target-list.ts';

/** A fleet target with the address it is scanned on, or why its name did not resolve. */
export type ResolvedTarget = FleetTarget &
  (
    | { readonly address: string; readonly unresolved?: undefined }
    | { readonly address?: undefined; readonly unresolved: WiretightError }
  );

/** A DNS answer with more addresses than this is scanned on its first ones only. */
export const MAX_ADDRESSES_PER_NAME = 64;

export interface ResolveOptions {
  /** Scan a name on every address it resolves to (`--all-ips`), not just the first. */
  readonly allIps: boolean;
  /** Lookups running ahead of the scans, so slow DNS does not starve them. */
  readonly window: number;
  /** A lookup that takes longer fails with WT_ERR_PROBE_DNS. */
  readonly timeoutMs: number;
  readonly lookup?: AddressLookup;
  /** Called with the number of targets a name added beyond itself (`--all-ips`). */
  readonly onExtraTargets?: (extra: number) => void;
}

/**
 * Resolves the targets' names up to `window` ahead of the consumer, in order. An address
 * is its own answer; a name becomes one target on its first address, or with `allIps` one
 * per address (the host, and so the SNI, stay the name). A name that does not resolve in
 * time is still yielded, with the error, so its report can say so.
 */
export async function* resolveTargets(
  targets: Iterable<FleetTarget>,
  options: ResolveOptions,
): AsyncGenerator<ResolvedTarget> {
  if (!Number.isInteger(options.window) || options.window < 1) {
    throw new RangeError(`window must be a positive integer, got ${options.window}`);
  }
  const iterator = targets[Symbol.iterator]();
  const pending: Promise<ResolvedTarget[]>[] = [];
  let exhausted = false;
  const fill = (): void => {
    while (!exhausted && pending.length < options.window) {
      const next = iterator.next();
      if (next.done === true) exhausted = true;
      else {
        const resolved = resolveTarget(next.value, options);
        // Awaited in order below; this keeps a lookup abandoned by a stopped run quiet.
        resolved.catch(() => undefined);
        pending.push(resolved);
      }
    }
  };
  fill();
  for (let batch = pending.shift(); batch !== undefined; batch = pending.shift()) {
    const resolved = await batch;
    fill();
    if (resolved.length > 1) options.onExtraTargets?.(resolved.length - 1);
    yield* resolved;
  }
}

/**
 * One target's addresses, as `resolveTargets` yields them: the target itself for an
 * address, one target per address of a name (its first only without `allIps`), or the
 * target with the error when the name does not resolve in time.
 */
export async function resolveTarget(
  target: FleetTarget,
  options: Pick<ResolveOptions, 'allIps' | 'timeoutMs' | 'lookup'>,
): Promise<ResolvedTarget[]> {
  if (ipVersion(target.host) !== 0) return [{ ...target, address: target.host }];
  let addresses: readonly string[];
  try {
    addresses = await withTimeout(
      (options.lookup ?? defaultAddressLookup)(target.host),
      options.timeoutMs,
      target.host,
    );
  } catch (err) {
    if (!(err instanceof WiretightError)) throw err;
    return [{ ...target, unresolved: err }];
  }
  const usable = [...new Set(addresses)].filter((a) => ipVersion(a) !== 0);
  if (usable.length === 0) {
    const error = new WiretightError('WT_ERR_PROBE_DNS', `${target.host} resolved to no address`);
    return [{ ...target, unresolved: error }];
  }
  const chosen = options.allIps ? usable.slice(0, MAX_ADDRESSES_PER_NAME) : usable.slice(0, 1);
  return chosen.map((address) => ({ ...target, address }));
}

/** The resolver a resolved target's scan uses: its address, or the error its name got. */
export function resolverFor(target: ResolvedTarget): Resolver {
  return async () => {
    if (target.address === undefined) throw target.unresolved;
    return target.address;
  };
}

async function withTimeout<T>(work: Promise<T>, ms: number, host: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new WiretightError('WT_ERR_PROBE_DNS', `cannot resolve ${host}: no answer in ${ms} ms`),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
