// JUnit XML for CI test reports (Jenkins, GitLab): a scanned endpoint is a test case, a
// finding at or above the `--fail-on` severity is a failure of it.
import type { Finding, Severity } from '../scan/findings/index.ts';
import type { ScanReport } from '../scan/report.ts';
import { VERSION } from '../version.ts';
import { endpointLabel } from './endpoint.ts';
import { escapeAttribute, escapeText } from './markup.ts';
import { atOrAbove, gradeText, severityCounts } from './summary.ts';

export interface JunitOptions {
  /** Findings of this severity or worse fail their endpoint's test case. */
  readonly failOn: Severity;
  /** The test suite's name (default `wiretight scan`). */
  readonly suiteName?: string;
}

type Attributes = Readonly<Record<string, string | number>>;

function attrs(a: Attributes): string {
  return Object.entries(a)
    .map(([k, v]) => ` ${k}="${escapeAttribute(String(v))}"`)
    .join('');
}

const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

function failureBody(f: Finding): string {
  return [
    f.evidence,
    '',
    `Fix: ${f.fix}`,
    ...(f.references.length > 0 ? [`References: ${f.references.join(' ')}`] : []),
    `Finding: ${f.id} (${f.severity}, ${f.confidence})`,
  ].join('\n');
}

interface Case {
  readonly xml: string;
  readonly outcome: 'passed' | 'failed' | 'error';
}

/**
 * One test case. A scan that stopped at first contact with nothing at the threshold is an
 * error (the endpoint could not be checked); a plaintext port's finding is a failure.
 * Failures come worst first, since some readers show only the first.
 */
function testCase(report: ScanReport, failOn: Severity): Case {
  const failures = atOrAbove(report.findings, failOn);
  const body: string[] = failures.map(
    (f) =>
      `      <failure${attrs({ type: f.id, message: `${f.severity}: ${f.title}` })}>${escapeText(failureBody(f))}</failure>`,
  );
  const error = report.error !== undefined && failures.length === 0 ? report.error : undefined;
  if (error !== undefined) {
    const detail =
      report.plaintext === undefined
        ? error.message
        : `${error.message}\nDetected: ${report.plaintext.description}\nAnswered: ${report.plaintext.firstBytesText}`;
    body.push(
      `      <error${attrs({ type: error.code, message: error.message })}>${escapeText(detail)}</error>`,
    );
  }
  const summary = `Grade ${gradeText(report.grade)}. Findings: ${severityCounts(report.findings)}; ${failures.length} at ${failOn} or worse.`;
  body.push(`      <system-out>${escapeText(summary)}</system-out>`);
  const head = attrs({
    classname: 'wiretight.scan',
    name: endpointLabel(report.target),
    time: seconds(report.durationMs),
  });
  return {
    xml: `    <testcase${head}>\n${body.join('\n')}\n    </testcase>`,
    outcome: error !== undefined ? 'error' : failures.length > 0 ? 'failed' : 'passed',
  };
}

/**
 * JUnit XML of one or more reports: one `<testsuite>`, one `<testcase>` per endpoint, one
 * `<failure>` per finding at or above `failOn`. Each endpoint's grade is a suite property
 * (`grade <endpoint>`) and is repeated in the case's `<system-out>`. Every string a server
 * could have chosen is escaped, and characters XML forbids are shown as `\xNN`.
 */
export function renderJunit(reports: readonly ScanReport[], options: JunitOptions): string {
  const cases = reports.map((r) => testCase(r, options.failOn));
  const count = (o: Case['outcome']): number => cases.filter((c) => c.outcome === o).length;
  const starts = reports.map((r) => r.startedAt).sort();
  const totals = {
    tests: cases.length,
    failures: count('failed'),
    errors: count('error'),
    time: seconds(reports.reduce((sum, r) => sum + r.durationMs, 0)),
  };
  const properties = [
    { name: 'wiretight.version', value: reports[0]?.tool.version ?? VERSION },
    { name: 'failOn', value: `severity:${options.failOn}` },
    ...reports.map((r) => ({
      name: `grade ${endpointLabel(r.target)}`,
      value: r.grade.letter ?? 'withheld',
    })),
  ].map((p) => `      <property${attrs(p)}/>`);
  const suite = attrs({
    name: options.suiteName ?? 'wiretight scan',
    ...totals,
    skipped: 0,
    // JUnit's timestamp has no zone; the reports' times are UTC.
    ...(starts[0] === undefined ? {} : { timestamp: starts[0].slice(0, 19) }),
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'wiretight', ...totals })}>`,
    `  <testsuite${suite}>`,
    '    <properties>',
    ...properties,
    '    </properties>',
    ...cases.map((c) => c.xml),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
