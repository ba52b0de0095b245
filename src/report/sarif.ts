// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. Findings are about
// network endpoints, not files, so each result names its endpoint twice: as a logical
// location (what it is) and as a relative artifact path (what GitHub needs to show an
// alert at all: every result must have a physicalLocation with a region).
import { createHash } from 'node:crypto';
import {
  FINDING_CATALOGUE,
  type Finding,
  type FindingId,
  type Severity,
} from '../scan/findings/index.ts';
import type { ScanReport, TargetReport } from '../scan/report.ts';
import { VERSION } from '../version.ts';
import { endpointLabel, endpointName } from './endpoint.ts';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** Where the driver's `informationUri` points unless the caller gives the project's page. */
export const DEFAULT_INFORMATION_URI = 'https://www.npmjs.com/package/wiretight';

export interface SarifOptions {
  /**
   * GitHub's analysis category (`runAutomationDetails.id` = `category/`): needed when
   * several wiretight SARIF files are uploaded for one commit (one per environment…).
   */
  readonly category?: string;
  /** Absolute URI of the tool's documentation (default DEFAULT_INFORMATION_URI). */
  readonly informationUri?: string;
}

export type SarifLevel = 'error' | 'warning' | 'note';

interface SarifText {
  readonly text: string;
  readonly markdown?: string;
}

/** One rule: a finding id of the catalogue, as GitHub lists it next to its alerts. */
export interface SarifRule {
  readonly id: FindingId;
  readonly shortDescription: SarifText;
  readonly fullDescription: SarifText;
  readonly help: SarifText;
  readonly helpUri?: string;
  readonly defaultConfiguration: { readonly level: SarifLevel };
  readonly properties: {
    readonly tags: readonly string[];
    readonly precision: 'high' | 'low';
    /** GitHub's 0.0–10.0 score: over 9 critical, 7–8.9 high, 4–6.9 medium, below low. */
    readonly 'security-severity': string;
  };
}

interface SarifLogicalLocation {
  readonly name: string;
  readonly fullyQualifiedName: string;
  readonly kind: 'resource';
}

interface SarifLocation {
  readonly physicalLocation?: {
    readonly artifactLocation: { readonly uri: string };
    readonly region: {
      readonly startLine: number;
      readonly startColumn: number;
      readonly endLine: number;
      readonly endColumn: number;
    };
  };
  readonly logicalLocations: readonly SarifLogicalLocation[];
}

/** One finding on one endpoint. */
export interface SarifResult {
  readonly ruleId: FindingId;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: { readonly text: string };
  readonly locations: readonly SarifLocation[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly properties: {
    readonly severity: Severity;
    readonly confidence: Finding['confidence'];
    readonly fix: string;
    readonly details?: Finding['details'];
  };
}

interface SarifNotification {
  readonly level: 'error';
  readonly message: { readonly text: string };
  readonly locations: readonly SarifLocation[];
  readonly properties: { readonly code: string };
}

/** The whole log: one run of wiretight over every report given. */
export interface SarifLog {
  readonly $schema: typeof SARIF_SCHEMA_URI;
  readonly version: '2.1.0';
  readonly runs: readonly [
    {
      readonly tool: {
        readonly driver: {
          readonly name: 'wiretight';
          readonly version: string;
          readonly informationUri: string;
          readonly rules: readonly SarifRule[];
        };
      };
      readonly automationDetails?: { readonly id: string };
      readonly invocations: readonly [
        {
          readonly executionSuccessful: true;
          readonly startTimeUtc?: string;
          readonly endTimeUtc?: string;
          /** Targets whose scan stopped at first contact (unreachable, not TLS…). */
          readonly toolExecutionNotifications: readonly SarifNotification[];
        },
      ];
      readonly results: readonly SarifResult[];
    },
  ];
}

const LEVEL: Readonly<Record<Severity, SarifLevel>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

const CONFIDENCE_SENTENCE: Readonly<Record<Finding['confidence'], string>> = {
  confirmed: 'Confirmed: the server showed the behaviour.',
  potential: 'Potential: a risk inferred from other facts; the server did not show it.',
};

function rule(id: FindingId): SarifRule {
  const e = FINDING_CATALOGUE[id];
  const refs = e.references;
  const area = id.slice(0, id.indexOf('.'));
  const helpUri = refs.find((r) => /^https?:\/\//.test(r));
  return {
    id,
    shortDescription: { text: e.title },
    fullDescription: {
      text: `${e.title}. ${CONFIDENCE_SENTENCE[e.confidence]} Default severity: ${e.severity}.`,
    },
    help: {
      text: `Fix: ${e.fix}\n\nReferences:\n${refs.map((r) => `- ${r}`).join('\n')}`,
      markdown: `**Fix:** ${e.fix}\n\n**References:**\n\n${refs.map((r) => `- <${r}>`).join('\n')}`,
    },
    // helpUri must be absolute; policy findings point into wiretight's own docs instead.
    ...(helpUri === undefined ? {} : { helpUri }),
    defaultConfiguration: { level: LEVEL[e.severity] },
    properties: {
      tags: ['security', 'tls', area, ...(e.confidence === 'potential' ? ['potential'] : [])],
      precision: e.confidence === 'confirmed' ? 'high' : 'low',
      'security-severity': SECURITY_SEVERITY[e.severity],
    },
  };
}

/**
 * A relative path, not `wiretight://host:port`: GitHub rejects an upload whose absolute
 * URIs use another scheme than the checkout's source root (file://). The host is
 * percent-encoded so an IPv6 literal's colons cannot read as a URI scheme.
 */
function artifactUri(target: TargetReport): string {
  return `endpoints/${encodeURIComponent(target.host)}:${target.port}`;
}

function location(target: TargetReport, withArtifact: boolean): SarifLocation {
  const logical: SarifLogicalLocation = {
    name: endpointName(target),
    fullyQualifiedName: endpointLabel(target),
    kind: 'resource',
  };
  return withArtifact
    ? {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(target) },
          region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 },
        },
        logicalLocations: [logical],
      }
    : { logicalLocations: [logical] };
}

/**
 * Stable across runs so GitHub keeps one alert per problem: the finding id and the
 * endpoint (with its SNI name), plus a counter when a rule fires twice on one endpoint.
 * GitHub reads only `primaryLocationLineHash`; the full hash is for other consumers.
 */
function fingerprints(
  id: FindingId,
  target: TargetReport,
  occurrence: number,
): Record<string, string> {
  const key = [id, endpointLabel(target), ...(occurrence > 0 ? [String(occurrence)] : [])];
  const hash = createHash('sha256').update(key.join('\n')).digest('hex');
  return { 'wiretightFinding/v1': hash, primaryLocationLineHash: `${hash.slice(0, 16)}:1` };
}

function results(report: ScanReport, ruleIndex: ReadonlyMap<FindingId, number>): SarifResult[] {
  const seen = new Map<FindingId, number>();
  return report.findings.map((f) => {
    const occurrence = seen.get(f.id) ?? 0;
    seen.set(f.id, occurrence + 1);
    return {
      ruleId: f.id,
      ruleIndex: ruleIndex.get(f.id) ?? -1,
      level: LEVEL[f.severity],
      message: { text: f.evidence },
      locations: [location(report.target, true)],
      partialFingerprints: fingerprints(f.id, report.target, occurrence),
      properties: {
        severity: f.severity,
        confidence: f.confidence,
        fix: f.fix,
        ...(f.details === undefined ? {} : { details: f.details }),
      },
    };
  });
}

function timeSpan(reports: readonly ScanReport[]): { startTimeUtc?: string; endTimeUtc?: string } {
  const starts = reports.map((r) => Date.parse(r.startedAt)).filter((t) => Number.isFinite(t));
  const ends = reports
    .map((r) => Date.parse(r.startedAt) + r.durationMs)
    .filter((t) => Number.isFinite(t));
  if (starts.length === 0 || ends.length === 0) return {};
  return {
    startTimeUtc: new Date(Math.min(...starts)).toISOString(),
    endTimeUtc: new Date(Math.max(...ends)).toISOString(),
  };
}

/** The SARIF log as an object (see renderSarif). */
export function buildSarif(reports: readonly ScanReport[], options: SarifOptions = {}): SarifLog {
  if (options.category !== undefined && options.category.trim() === '') {
    throw new RangeError('the SARIF category must not be empty');
  }
  const informationUri = options.informationUri ?? DEFAULT_INFORMATION_URI;
  if (!URL.canParse(informationUri)) {
    throw new RangeError(`informationUri must be an absolute URI: ${informationUri}`);
  }
  const ids = [...new Set(reports.flatMap((r) => r.findings.map((f) => f.id)))].sort();
  const ruleIndex = new Map(ids.map((id, i) => [id, i]));
  const notifications: SarifNotification[] = reports.flatMap((r) =>
    r.error === undefined
      ? []
      : [
          {
            level: 'error' as const,
            message: { text: `${endpointLabel(r.target)}: ${r.error.message}` },
            locations: [location(r.target, false)],
            properties: { code: r.error.code },
          },
        ],
  );
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'wiretight',
            version: reports[0]?.tool.version ?? VERSION,
            informationUri,
            rules: ids.map(rule),
          },
        },
        ...(options.category === undefined
          ? {}
          : { automationDetails: { id: `${options.category}/` } }),
        invocations: [
          {
            executionSuccessful: true,
            ...timeSpan(reports),
            toolExecutionNotifications: notifications,
          },
        ],
        results: reports.flatMap((r) => results(r, ruleIndex)),
      },
    ],
  };
}

/**
 * SARIF 2.1.0 of one or more reports, in the subset GitHub code scanning reads: the
 * catalogue entries used as rules (level and security-severity from their default
 * severity), one result per finding with its own level, and fingerprints that follow an
 * alert across runs. Upload with `github/codeql-action/upload-sarif`.
 */
export function renderSarif(reports: readonly ScanReport[], options: SarifOptions = {}): string {
  return `${JSON.stringify(buildSarif(reports, options), null, 2)}\n`;
}
