// Did the scan work? The NDJSON a fleet scan wrote, set against the fleet that was built:
// the same count of TLS, plaintext and unreachable endpoints, one grade per posture (a
// posture whose endpoints disagree points at timeouts under load), and where the time
// went per target (`durationMs`, `handshakes`).
import { formatMs, tableLines } from '../format.ts';
import { median, percentile } from '../stats.ts';
import { type ExpectedTransport, expectedTransport } from './layout.ts';
import type { FleetEndpoint } from './start.ts';

/** What the report of one target says, reduced to what the sanity check compares. */
export interface TargetOutcome {
  /** `host:port` as the target was given. */
  readonly target: string;
  readonly transport: ExpectedTransport;
  /** The grade letter, `withheld`, or `-` for no TLS. */
  readonly grade: string;
  readonly durationMs: number;
  readonly handshakes: number;
}

interface ReportLine {
  target?: { host?: unknown; port?: unknown };
  tls?: unknown;
  plaintext?: unknown;
  grade?: { letter?: unknown };
  durationMs?: unknown;
  handshakes?: unknown;
}

function outcomeOf(line: string): TargetOutcome | undefined {
  let r: ReportLine;
  try {
    r = JSON.parse(line) as ReportLine;
  } catch {
    return undefined;
  }
  const host = r.target?.host;
  const port = r.target?.port;
  if (typeof host !== 'string' || typeof port !== 'number' || typeof r.tls !== 'boolean') {
    return undefined;
  }
  const transport = r.tls ? 'tls' : r.plaintext !== undefined ? 'plaintext' : 'unreachable';
  const letter = r.grade?.letter;
  return {
    target: `${host}:${port}`,
    transport,
    grade: !r.tls ? '-' : typeof letter === 'string' ? letter : 'withheld',
    durationMs: typeof r.durationMs === 'number' ? r.durationMs : 0,
    handshakes: typeof r.handshakes === 'number' ? r.handshakes : 0,
  };
}

/** The targets of an NDJSON scan output; lines that are not a scan report are counted. */
export function parseOutcomes(ndjson: string): { outcomes: TargetOutcome[]; malformed: number } {
  const outcomes: TargetOutcome[] = [];
  let malformed = 0;
  for (const line of ndjson.split('\n')) {
    if (line.trim() === '') continue;
    const o = outcomeOf(line);
    if (o === undefined) malformed++;
    else outcomes.push(o);
  }
  return { outcomes, malformed };
}

const TRANSPORTS: readonly ExpectedTransport[] = ['tls', 'plaintext', 'unreachable'];

export interface PostureOutcomes {
  readonly posture: string;
  readonly endpoints: number;
  /** `tls A+` → count. */
  readonly outcomes: ReadonlyMap<string, number>;
  readonly totalMs: number;
  readonly handshakes: number;
}

export interface FleetCheck {
  readonly built: Readonly<Record<ExpectedTransport, number>>;
  readonly reported: Readonly<Record<ExpectedTransport, number>>;
  /** Endpoints with no report, or a report of another transport than built. */
  readonly wrong: readonly string[];
  readonly malformed: number;
  readonly grades: ReadonlyMap<string, number>;
  readonly byPosture: readonly PostureOutcomes[];
  readonly outcomes: readonly TargetOutcome[];
}

interface MutablePosture {
  posture: string;
  endpoints: number;
  outcomes: Map<string, number>;
  totalMs: number;
  handshakes: number;
}

const count = <K>(m: Map<K, number>, k: K, by = 1): void => {
  m.set(k, (m.get(k) ?? 0) + by);
};

/** Sets the reports of a fleet scan against the endpoints built. */
export function checkFleet(endpoints: readonly FleetEndpoint[], ndjson: string): FleetCheck {
  const { outcomes, malformed } = parseOutcomes(ndjson);
  const byTarget = new Map(outcomes.map((o) => [o.target, o]));
  const built = { tls: 0, plaintext: 0, unreachable: 0 };
  const reported = { tls: 0, plaintext: 0, unreachable: 0 };
  const wrong: string[] = [];
  const grades = new Map<string, number>();
  const postures = new Map<string, MutablePosture>();
  for (const o of outcomes) reported[o.transport]++;
  for (const e of endpoints) {
    const expected = expectedTransport(e.posture);
    built[expected]++;
    const o = byTarget.get(`${e.host}:${e.port}`);
    const label = `#${e.index} ${e.host}:${e.port} ${e.posture.name}`;
    if (o === undefined) wrong.push(`${label}: no report`);
    else if (o.transport !== expected) wrong.push(`${label}: ${o.transport}, built ${expected}`);
    if (o?.transport === 'tls') count(grades, o.grade);
    let p = postures.get(e.posture.name);
    if (p === undefined) {
      p = { posture: e.posture.name, endpoints: 0, outcomes: new Map(), totalMs: 0, handshakes: 0 };
      postures.set(e.posture.name, p);
    }
    p.endpoints++;
    count(p.outcomes, o === undefined ? 'no report' : `${o.transport} ${o.grade}`);
    p.totalMs += o?.durationMs ?? 0;
    p.handshakes += o?.handshakes ?? 0;
  }
  return {
    built,
    reported,
    wrong,
    malformed,
    grades,
    byPosture: [...postures.values()],
    outcomes,
  };
}

const tally = (m: ReadonlyMap<string, number>): string =>
  [...m]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ×${n}`)
    .join(', ');

/** The sanity check as lines for people. */
export function sanityLines(check: FleetCheck): string[] {
  const lines = [
    ...tableLines(
      ['', ...TRANSPORTS],
      [
        ['built', ...TRANSPORTS.map((t) => String(check.built[t]))],
        ['wiretight reported', ...TRANSPORTS.map((t) => String(check.reported[t]))],
      ],
    ),
    `grades (TLS endpoints): ${tally(check.grades)}`,
  ];
  if (check.malformed > 0) lines.push(`lines that are not a scan report: ${check.malformed}`);
  lines.push(
    check.wrong.length === 0
      ? 'every endpoint reported as built: match'
      : `MISMATCH on ${check.wrong.length} endpoints:`,
    ...check.wrong.slice(0, 20).map((w) => `  ${w}`),
  );
  const split = check.byPosture.filter((p) => p.outcomes.size > 1);
  lines.push(
    split.length === 0
      ? 'every posture got one verdict on all its endpoints: consistent'
      : `postures whose endpoints disagree (timeouts under load?): ${split.map((p) => p.posture).join('; ')}`,
  );
  return lines;
}

/** Per-posture verdicts and where the scan's time went, from each report's durationMs. */
export function postureLines(check: FleetCheck): string[] {
  const rows = [...check.byPosture]
    .sort((a, b) => b.totalMs - a.totalMs)
    .map((p) => [
      p.posture,
      String(p.endpoints),
      tally(p.outcomes),
      formatMs(p.totalMs / p.endpoints),
      String(Math.round(p.handshakes / p.endpoints)),
      formatMs(p.totalMs),
    ]);
  const lines = tableLines(
    ['posture', 'n', 'wiretight verdicts', 'mean time', 'mean conn', 'sum of times'],
    rows,
  );
  const ms = check.outcomes.map((o) => o.durationMs);
  const conns = check.outcomes.map((o) => o.handshakes);
  if (ms.length > 0) {
    lines.push(
      `per target: median ${formatMs(median(ms))}, p90 ${formatMs(percentile(ms, 90))}, ` +
        `max ${formatMs(Math.max(...ms))}; connections: ${conns.reduce((a, b) => a + b, 0)} in all, ` +
        `median ${median(conns)}, max ${Math.max(...conns)} per target`,
    );
  }
  return lines;
}
