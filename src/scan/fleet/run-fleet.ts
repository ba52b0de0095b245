import type { ScanReport } from '../report.ts';

/**
 * Runs `scanOne` over `items`, at most `concurrency` at a time, and yields each result as
 * soon as it is ready (completion order, not input order). Only the scans in flight are
 * held in memory, so a fleet of any size streams in bounded memory.
 */
export async function* runBounded<T>(
  items: Iterable<T>,
  concurrency: number,
  scanOne: (item: T) => Promise<ScanReport>,
): AsyncGenerator<{ readonly item: T; readonly report: ScanReport }> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  const iterator = items[Symbol.iterator]();
  const running = new Map<number, Promise<{ id: number; item: T; report: ScanReport }>>();
  let nextId = 0;
  const start = (): boolean => {
    const next = iterator.next();
    if (next.done === true) return false;
    const id = nextId++;
    const item = next.value;
    const scan = scanOne(item).then((report) => ({ id, item, report }));
    // A failure surfaces through the race below; this keeps the others from being
    // reported as unhandled while the generator unwinds.
    scan.catch(() => undefined);
    running.set(id, scan);
    return true;
  };
  while (running.size < concurrency && start()) {
    // fill the first window
  }
  while (running.size > 0) {
    const done = await Promise.race(running.values());
    running.delete(done.id);
    start();
    yield { item: done.item, report: done.report };
  }
}
