// How benches print: durations people can read at a glance, ratios, aligned tables.

/** `850 ms` below a second, `1.23 s` above; `-` for a figure not measured. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '-';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

/** `3.4x`: how many times `a` is `b`; `-` when either was not measured. */
export function ratio(a: number | undefined, b: number | undefined, digits = 1): string {
  return a === undefined || b === undefined || b === 0 ? '-' : `${(a / b).toFixed(digits)}x`;
}

/** A header and rows as lines of left-aligned columns, two spaces apart. */
export function tableLines(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
