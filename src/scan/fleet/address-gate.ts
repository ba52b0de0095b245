import { WiretightError } from '../../errors.ts';

interface Slot {
  inFlight: number;
  readonly waiters: (() => void)[];
}

/**
 * Lets at most `perAddress` targets of one IP address be scanned at once. The fleet
 * admits a target here before its scan starts, so targets sharing a host (ports of one
 * machine, names behind one load balancer) take turns instead of all queueing inside the
 * HostLimiter, where a wait would eat into each connection's deadline. Holds state only
 * for addresses in use.
 */
export class AddressGate {
  readonly perAddress: number;
  readonly #slots = new Map<string, Slot>();

  constructor(perAddress: number) {
    if (!Number.isInteger(perAddress) || perAddress < 1) {
      throw new RangeError(`perAddress must be a positive integer, got ${perAddress}`);
    }
    this.perAddress = perAddress;
  }

  /** Addresses with a target in flight or waiting. */
  get addresses(): number {
    return this.#slots.size;
  }

  /**
   * Waits for a turn at `address` (first come, first served) and returns the function that
   * ends it. Rejects with the signal's reason (or WT_ERR_PROBE_ABORTED) if it fires first.
   */
  async enter(address: string, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted === true) throw cancelled(signal);
    let slot = this.#slots.get(address);
    if (slot === undefined) {
      slot = { inFlight: 0, waiters: [] };
      this.#slots.set(address, slot);
    }
    const held = slot;
    if (held.inFlight < this.perAddress && held.waiters.length === 0) held.inFlight++;
    else {
      await new Promise<void>((resolve, reject) => {
        const admit = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = (): void => {
          const at = held.waiters.indexOf(admit);
          if (at >= 0) held.waiters.splice(at, 1);
          this.#drop(address, held);
          reject(cancelled(signal));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        held.waiters.push(admit);
      });
    }
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      const next = held.waiters.shift();
      // The turn passes straight to the next waiter, so inFlight stays the same.
      if (next !== undefined) next();
      else {
        held.inFlight--;
        this.#drop(address, held);
      }
    };
  }

  #drop(address: string, slot: Slot): void {
    if (slot.inFlight === 0 && slot.waiters.length === 0 && this.#slots.get(address) === slot) {
      this.#slots.delete(address);
    }
  }
}

function cancelled(signal: AbortSignal | undefined): unknown {
  return signal?.reason instanceof WiretightError
    ? signal.reason
    : new WiretightError('WT_ERR_PROBE_ABORTED', 'cancelled');
}
