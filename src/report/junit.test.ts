import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderJunit } from './junit.ts';
import {
  HOSTILE,
  plaintextReport,
  strongReport,
  unreachableReport,
  weakReport,
} from './testdata/reports.ts';
import { type XmlElement, findAll, parseXml } from './testdata/xml-wellformed.ts';

const fleet = [weakReport(), strongReport(), unreachableReport(), plaintextReport()];

function suiteOf(xml: string): XmlElement {
  const root = parseXml(xml);
  assert.equal(root.name, 'testsuites');
  const suites = findAll(root, 'testsuite');
  assert.equal(suites.length, 1);
  return suites[0]!;
}

const caseNamed = (suite: XmlElement, name: string): XmlElement => {
  const c = findAll(suite, 'testcase').find((t) => t.attributes['name'] === name);
  assert.ok(c !== undefined, name);
  return c;
};

test('one suite, one case per endpoint, one failure per finding at or above the threshold', () => {
  const suite = suiteOf(renderJunit(fleet, { failOn: 'medium' }));
  assert.deepEqual(
    findAll(suite, 'testcase').map((t) => t.attributes['name']),
    ['db.internal:5433', '[::1]:8443', 'gone.internal:443', 'cache.internal:6379'],
  );
  const weak = caseNamed(suite, 'db.internal:5433');
  assert.deepEqual(
    findAll(weak, 'failure').map((f) => f.attributes['type']),
    ['cert.hostname-mismatch', 'protocol.tls10', 'suite.3des', 'suite.no-forward-secrecy'],
  );
  assert.equal(findAll(weak, 'failure')[1]?.attributes['message'], 'medium: TLS 1.0 is enabled');
  assert.match(findAll(weak, 'failure')[1]?.text ?? '', /\n\nFix: Disable TLS 1\.0/);
  assert.equal(findAll(caseNamed(suite, '[::1]:8443'), 'failure').length, 0);
  assert.equal(suite.attributes['tests'], '4');
  // weak and plaintext fail; the unreachable target is an error; the strong one passes.
  assert.equal(suite.attributes['failures'], '2');
  assert.equal(suite.attributes['errors'], '1');
  assert.equal(suite.attributes['timestamp'], '2026-06-01T00:00:00');
});

test('a stricter threshold fails fewer cases', () => {
  const suite = suiteOf(renderJunit(fleet, { failOn: 'high' }));
  assert.deepEqual(
    findAll(caseNamed(suite, 'db.internal:5433'), 'failure').map((f) => f.attributes['type']),
    ['cert.hostname-mismatch'],
  );
  const critical = suiteOf(renderJunit(fleet, { failOn: 'critical' }));
  assert.equal(findAll(critical, 'failure').length, 0);
  // A cleartext port with nothing at the threshold is an error: TLS could not be checked.
  const cache = caseNamed(critical, 'cache.internal:6379');
  assert.equal(findAll(cache, 'error')[0]?.attributes['type'], 'WT_ERR_SCAN_NOT_TLS');
  assert.equal(critical.attributes['errors'], '2');
});

test('grades are suite properties and stand in each case output', () => {
  const suite = suiteOf(renderJunit(fleet, { failOn: 'high', suiteName: 'nightly' }));
  assert.equal(suite.attributes['name'], 'nightly');
  const props = Object.fromEntries(
    findAll(suite, 'property').map((p) => [p.attributes['name'], p.attributes['value']]),
  );
  assert.equal(props['grade db.internal:5433'], 'C');
  assert.equal(props['grade [::1]:8443'], 'A');
  assert.equal(props['grade gone.internal:443'], 'withheld');
  assert.equal(props['failOn'], 'severity:high');
  const out = findAll(caseNamed(suite, 'db.internal:5433'), 'system-out')[0]?.text ?? '';
  assert.match(
    out,
    /^Grade C \(score \d+\)\. Findings: 1 high, 3 medium, 4 low; 1 at high or worse\.$/,
  );
});

test('server-controlled text is escaped: the document stays well formed and reads back', () => {
  const xml = renderJunit(fleet, { failOn: 'info' });
  assert.ok(!xml.includes('<script>'));
  assert.ok(!xml.includes('\u0000'));
  const suite = suiteOf(xml);
  const shown = HOSTILE.replace('\u0000', '\\x00')
    .replace('\u001b', '\\x1b')
    .replace('\ud800', '\\ud800');
  const mismatch = findAll(caseNamed(suite, 'db.internal:5433'), 'failure')[0];
  assert.ok(mismatch?.text.startsWith(`The certificate names ${shown}, not db.internal.`));
  const gone = findAll(caseNamed(suite, 'gone.internal:443'), 'error')[0];
  assert.equal(gone?.attributes['message'], `connect ECONNREFUSED ${shown}`);
  // Line breaks in an attribute survive as references instead of being folded to spaces.
  const multiline = { ...weakReport(), target: { ...weakReport().target, sni: 'a\nb' } };
  const c = findAll(suiteOf(renderJunit([multiline], { failOn: 'high' })), 'testcase')[0];
  assert.equal(c?.attributes['name'], 'db.internal:5433 (SNI a\nb)');
});

test('no reports: an empty, valid suite', () => {
  const suite = suiteOf(renderJunit([], { failOn: 'high' }));
  assert.equal(suite.attributes['tests'], '0');
  assert.equal(findAll(suite, 'testcase').length, 0);
});
