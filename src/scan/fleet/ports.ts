import { WiretightError } from '../../errors.ts';

/** A `--ports` value is short in any sane use; this keeps a pasted file out of the parser. */
const MAX_SPEC_CHARS = 4096;

function invalid(spec: string, why: string): WiretightError {
  const shown = spec.length > 60 ? `${spec.slice(0, 60)}…` : spec;
  return new WiretightError(
    'WT_ERR_TARGET_INVALID',
    `not a valid port list ${JSON.stringify(shown)}: ${why}`,
  );
}

/**
 * Parses a port list: `443,8443,5432`, with ranges `8000-8010`. Ports are 1..65535; a
 * port given twice is scanned once; the order given is kept (it is the order of the scan).
 */
export function parsePorts(spec: string): number[] {
  if (spec.length > MAX_SPEC_CHARS) throw invalid(spec, `longer than ${MAX_SPEC_CHARS} characters`);
  const ports = new Set<number>();
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(item);
    if (m === null) {
      throw invalid(
        spec,
        item === '' ? 'an empty item' : `${JSON.stringify(item)} is not a port or a range a-b`,
      );
    }
    const low = Number(m[1]);
    const high = m[2] === undefined ? low : Number(m[2]);
    for (const port of [low, high]) {
      if (port < 1 || port > 65535) throw invalid(spec, `${port} is not a port (1..65535)`);
    }
    if (high < low) throw invalid(spec, `the range ${item} runs backwards`);
    for (let port = low; port <= high; port++) ports.add(port);
  }
  return [...ports];
}
