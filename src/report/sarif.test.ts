import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FINDING_CATALOGUE } from '../scan/findings/index.ts';
import { DEFAULT_INFORMATION_URI, type SarifLog, buildSarif, renderSarif } from './sarif.ts';
import { assertGithubSarif, assertValidSarif } from './testdata/sarif-check.ts';
import {
  HOSTILE,
  plaintextReport,
  strongReport,
  unreachableReport,
  weakReport,
} from './testdata/reports.ts';

const fleet = [weakReport(), strongReport(), unreachableReport(), plaintextReport()];

function parse(text: string): SarifLog {
  return JSON.parse(text) as SarifLog;
}

test('a fleet renders to SARIF 2.1.0 that the official schema and GitHub accept', () => {
  const log = parse(renderSarif(fleet, { category: 'staging' }));
  assertValidSarif(log);
  assertGithubSarif(log);
  const run = log.runs[0];
  assert.equal(run.tool.driver.name, 'wiretight');
  assert.equal(run.tool.driver.version, 'test');
  assert.equal(run.tool.driver.informationUri, DEFAULT_INFORMATION_URI);
  assert.deepEqual(run.automationDetails, { id: 'staging/' });
  const expected = fleet.reduce((n, r) => n + r.findings.length, 0);
  assert.equal(run.results.length, expected);
});

test('the schema check itself rejects a broken log', () => {
  const log = parse(renderSarif([weakReport()])) as unknown as {
    runs: { results: { level: string }[] }[];
  };
  const first = log.runs[0]?.results[0];
  assert.ok(first !== undefined);
  first.level = 'fatal';
  assert.throws(() => assertValidSarif(log), /not valid SARIF/);
  const absolute = buildSarif([weakReport()]);
  const physical = absolute.runs[0].results[0]?.locations[0]?.physicalLocation;
  assert.ok(physical !== undefined);
  (physical.artifactLocation as { uri: string }).uri = 'wiretight://db.internal:5433';
  assertValidSarif(absolute);
  assert.throws(() => assertGithubSarif(absolute), /must be relative/);
});

test('rules are the catalogue entries used, once each, with level and security-severity', () => {
  const log = buildSarif(fleet);
  const rules = log.runs[0].tool.driver.rules;
  const used = new Set(fleet.flatMap((r) => r.findings.map((f) => f.id)));
  assert.deepEqual(rules.map((r) => r.id).sort(), [...used].sort());
  const byId = new Map(rules.map((r) => [r.id, r]));
  const tls10 = byId.get('protocol.tls10');
  assert.equal(tls10?.shortDescription.text, FINDING_CATALOGUE['protocol.tls10'].title);
  assert.equal(tls10?.defaultConfiguration.level, 'warning');
  assert.equal(tls10?.properties['security-severity'], '5.5');
  assert.equal(tls10?.helpUri, FINDING_CATALOGUE['protocol.tls10'].references[0]);
  assert.match(tls10?.help.markdown ?? '', /\*\*Fix:\*\* Disable TLS 1\.0/);
  assert.equal(byId.get('transport.plaintext')?.defaultConfiguration.level, 'error');
  assert.equal(byId.get('transport.plaintext')?.properties['security-severity'], '8.0');
  assert.equal(byId.get('suite.cbc')?.defaultConfiguration.level, 'note');
  assert.equal(byId.get('suite.cbc')?.properties['security-severity'], '3.0');
  const lucky = byId.get('vuln.lucky13');
  assert.equal(lucky?.properties.precision, 'low');
  assert.ok(lucky?.properties.tags.includes('potential'));
  assert.ok(lucky?.properties.tags.includes('security'));
});

test('each result: evidence as message, its own level, the endpoint as logical and physical location', () => {
  const log = buildSarif([weakReport()]);
  const result = log.runs[0].results.find((r) => r.ruleId === 'cert.hostname-mismatch');
  assert.ok(result !== undefined);
  assert.equal(result.level, 'error');
  assert.equal(result.message.text, `The certificate names ${HOSTILE}, not db.internal.`);
  const loc = result.locations[0];
  assert.deepEqual(loc?.logicalLocations, [
    { name: 'db.internal:5433', fullyQualifiedName: 'db.internal:5433', kind: 'resource' },
  ]);
  assert.equal(loc?.physicalLocation?.artifactLocation.uri, 'endpoints/db.internal:5433');
  // A finding whose severity the rule raised keeps that severity as the result's level.
  const raised = buildSarif([
    { ...weakReport(), findings: [{ ...weakReport().findings[1]!, severity: 'critical' }] },
  ]);
  assert.equal(raised.runs[0].results[0]?.level, 'error');
  assert.equal(raised.runs[0].tool.driver.rules[0]?.defaultConfiguration.level, 'warning');
});

test('an IPv6 endpoint gets a relative artifact path a URI parser cannot read as a scheme', () => {
  const report = { ...strongReport(), findings: weakReport().findings.slice(0, 1) };
  const log = buildSarif([report]);
  const loc = log.runs[0].results[0]?.locations[0];
  assert.equal(loc?.physicalLocation?.artifactLocation.uri, 'endpoints/%3A%3A1:8443');
  assert.equal(loc?.logicalLocations[0]?.name, '[::1]:8443');
  assertValidSarif(log);
});

test('fingerprints are stable across runs and differ per finding, endpoint and SNI name', () => {
  const fp = (log: SarifLog) => log.runs[0].results.map((r) => r.partialFingerprints);
  assert.deepEqual(fp(buildSarif([weakReport()])), fp(buildSarif([weakReport()])));
  const all = fp(buildSarif([weakReport()])).map((f) => f['primaryLocationLineHash']);
  assert.equal(new Set(all).size, all.length);
  const other = weakReport();
  const renamed = { ...other, target: { ...other.target, sni: 'api.internal' } };
  const first = fp(buildSarif([renamed]))[0]?.['primaryLocationLineHash'];
  assert.notEqual(first, all[0]);
  // The same rule twice on one endpoint: two alerts, not one.
  const twice = { ...other, findings: [other.findings[0]!, other.findings[0]!] };
  const [a, b] = fp(buildSarif([twice]));
  assert.notEqual(a?.['primaryLocationLineHash'], b?.['primaryLocationLineHash']);
});

test('targets that could not be scanned become error notifications, not results', () => {
  const log = buildSarif([unreachableReport()]);
  const invocation = log.runs[0].invocations[0];
  assert.equal(log.runs[0].results.length, 0);
  assert.equal(invocation.toolExecutionNotifications.length, 1);
  const note = invocation.toolExecutionNotifications[0];
  assert.equal(note?.properties.code, 'WT_ERR_SCAN_UNREACHABLE');
  assert.match(note?.message.text ?? '', /^gone\.internal:443: connect ECONNREFUSED/);
  assert.equal(invocation.startTimeUtc, '2026-06-01T00:00:00.000Z');
  assert.equal(invocation.endTimeUtc, '2026-06-01T00:00:00.001Z');
  assertValidSarif(log);
  assertGithubSarif(log);
});

test('no reports give an empty run that is still valid; wrong options are refused', () => {
  const log = buildSarif([]);
  assert.deepEqual(log.runs[0].results, []);
  assertValidSarif(log);
  assert.throws(() => buildSarif([], { category: ' ' }), RangeError);
  assert.throws(() => buildSarif([], { informationUri: 'not a uri' }), RangeError);
  assert.equal(
    buildSarif([], { informationUri: 'https://example.org/wt' }).runs[0].tool.driver.informationUri,
    'https://example.org/wt',
  );
});

test('hostile text survives the JSON round trip unchanged', () => {
  const text = renderSarif([weakReport()]);
  assert.ok(text.endsWith('}\n'));
  const messages = parse(text).runs[0].results.map((r) => r.message.text);
  assert.ok(messages.some((m) => m.includes(HOSTILE)));
});

test('helpUri is the first absolute reference: policy rules point into relative docs first', async () => {
  const { finding } = await import('../scan/findings/index.ts');
  const { judge } = await import('../scan/judge.ts');
  const { sketchReport } = await import('../scan/testdata/reports.ts');
  const report = judge(sketchReport({ suites: { 'TLSv1.2': [0xc02f] } }));
  const withPolicy = {
    ...report,
    findings: [...report.findings, finding('policy.min-version', { evidence: 'TLS 1.0 accepted' })],
  };
  const log = buildSarif([withPolicy]);
  const rule = log.runs[0]?.tool.driver.rules?.find((r) => r.id === 'policy.min-version');
  assert.ok(rule);
  assert.match(rule.helpUri ?? '', /^https:\/\//);
  assertValidSarif(log);
});
