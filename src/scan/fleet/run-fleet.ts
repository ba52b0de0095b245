/**
 * Runs `scanOne` over `items`, at most `concurrency` at a time, and yields each result as
 * soon as it is ready (completion order, not input order). Items are pulled only when a
 * slot is free, and only the scans in flight are held in memory, so a fleet of any size
 * streams in bounded memory. `items` may be asynchronous (names resolved as they are
 * pulled). Once `signal` fires no further item is pulled or started; the scans in flight
 * are left to finish (they see the same signal through their own options).
 */
export async function* runBounded<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  concurrency: number,
  scanOne: (item: T) => Promise<R>,
  signal?: AbortSignal,
): AsyncGenerator<{ readonly item: T; readonly report: R }> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  type Done = { kind: 'done'; id: number; item: T; report: R };
  type Pulled = { kind: 'pulled'; next: IteratorResult<T> };
  const iterator: Iterator<T> | AsyncIterator<T> =
    Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  const running = new Map<number, Promise<Done>>();
  const stopped = signal === undefined ? undefined : abortPromise(signal);
  let pulling: Promise<Pulled> | undefined;
  let exhausted = false;
  let nextId = 0;
  try {
    for (;;) {
      const open = !exhausted && signal?.aborted !== true;
      if (open && pulling === undefined && running.size < concurrency) {
        pulling = Promise.resolve(iterator.next()).then((next) => ({
          kind: 'pulled' as const,
          next,
        }));
      }
      if (!open && running.size === 0) return;
      const waits: Promise<Done | Pulled | { kind: 'stopped' }>[] = [...running.values()];
      if (open && pulling !== undefined) waits.push(pulling);
      if (open && stopped !== undefined) waits.push(stopped.promise);
      const next = await Promise.race(waits);
      if (next.kind === 'stopped') continue;
      if (next.kind === 'pulled') {
        pulling = undefined;
        if (next.next.done === true) exhausted = true;
        else if (signal?.aborted !== true) start(next.next.value);
        continue;
      }
      running.delete(next.id);
      yield { item: next.item, report: next.report };
    }
  } finally {
    stopped?.dispose();
    // A source left midway (a deadline, a consumer that stopped reading) is closed, not
    // awaited: an asynchronous one may be waiting on a slow lookup.
    if (!exhausted) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }

  function start(item: T): void {
    const id = nextId++;
    const scan = scanOne(item).then((report) => ({ kind: 'done' as const, id, item, report }));
    // A failure surfaces through the race; this keeps the others from being reported as
    // unhandled while the generator unwinds.
    scan.catch(() => undefined);
    running.set(id, scan);
  }
}

/** A promise that settles when `signal` fires, and a way to unhook it. */
function abortPromise(signal: AbortSignal): {
  promise: Promise<{ kind: 'stopped' }>;
  dispose: () => void;
} {
  let onAbort = (): void => undefined;
  const promise = new Promise<{ kind: 'stopped' }>((resolve) => {
    onAbort = () => resolve({ kind: 'stopped' });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}
