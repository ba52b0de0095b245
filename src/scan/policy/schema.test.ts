import assert from 'node:assert/strict';
import test from 'node:test';
import { isWiretightError } from '../../errors.ts';
import { parsePolicy } from './load.ts';
import { PolicyError } from './policy-error.ts';

const NOW = new Date('2026-07-01T12:00:00Z');

/** The problems of an invalid policy, as `line:column path: message`. */
function problems(text: string): string[] {
  try {
    parsePolicy(text, 'p.yaml', { now: NOW });
  } catch (error) {
    assert.ok(error instanceof PolicyError);
    assert.equal(error.code, 'WT_ERR_POLICY_INVALID');
    return error.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);
  }
  assert.fail('the policy was accepted');
}

test('a complete policy validates into typed settings', () => {
  const policy = parsePolicy(
    [
      'version: 1',
      'minVersion: TLSv1.2',
      'allowedSuites: [ECDHE+AESGCM, "!aNULL", TLSv1.3]',
      'minKeySizes: { rsa: 2048, ec: 256, dh: 2048 }',
      'maxCertificateLifetimeDays: 398',
      'expiryWarningDays: 21',
      'requireHsts: { minMaxAge: 31536000 }',
      'requireClientCertificates: true',
      'suppressions:',
      '  - id: protocol.no-tls13',
      '    targets: ["db.internal:5432", "*.legacy:*"]',
      '    reason: vendor upgrade pending',
      '    expires: 2026-07-01',
    ].join('\n'),
    'p.yaml',
    { now: NOW },
  );
  assert.equal(policy.minVersion, 'TLSv1.2');
  assert.equal(policy.allowedSuites?.expression, 'ECDHE+AESGCM:!aNULL:TLSv1.3');
  assert.equal(policy.allowedSuites?.ids.size, 9);
  assert.deepEqual(policy.minKeySizes, { rsa: 2048, ec: 256, dh: 2048 });
  assert.equal(policy.expiryWarningDays, 21);
  assert.deepEqual(policy.requireHsts, { minMaxAge: 31536000 });
  assert.equal(policy.requireClientCertificates, true);
  const s = policy.suppressions[0];
  assert.equal(s?.id, 'protocol.no-tls13');
  assert.equal(s?.expires, '2026-07-01');
  assert.equal(s?.expiresAt.toISOString(), '2026-07-02T00:00:00.000Z');
  assert.deepEqual(
    s?.targets.map((t) => t.text),
    ['db.internal:5432', '*.legacy:*'],
  );
  assert.deepEqual(parsePolicy('version: 1\nrequireHsts: true\n', 'p', {}).requireHsts, {
    minMaxAge: 1,
  });
  assert.equal(parsePolicy('version: 1\nrequireHsts: false\n', 'p', {}).requireHsts, undefined);
});

test('unknown keys are errors with their position and a suggestion', () => {
  assert.deepEqual(problems('version: 1\nminVersoin: TLSv1.2\nminKeySizes:\n  rsaa: 2048\n'), [
    '2:1 minVersoin: unknown key "minVersoin" (did you mean "minVersion"?)',
    '4:3 minKeySizes.rsaa: unknown key "rsaa" (did you mean "rsa"?)',
  ]);
  assert.deepEqual(problems('version: 1\ncolour: blue\n'), ['2:1 colour: unknown key "colour"']);
});

test('version: required, and 1', () => {
  assert.deepEqual(problems('minVersion: TLSv1.2\n'), [
    '1:1 : version is required: start the file with "version: 1"',
  ]);
  assert.deepEqual(problems('version: 2\n'), [
    '1:10 version: must be 1, the only version of the policy format; got number 2',
  ]);
  assert.deepEqual(problems('version: "1"\n'), [
    '1:10 version: must be 1, the only version of the policy format; got the string "1"',
  ]);
});

test('wrong types and ranges name what was found', () => {
  assert.deepEqual(
    problems(
      [
        'version: 1',
        'minVersion: TLS1.2',
        'minKeySizes: { rsa: "2048", ec: 0, dh: 2048.5 }',
        'maxCertificateLifetimeDays: []',
        'expiryWarningDays: -1',
        'requireHsts: yes',
        'requireClientCertificates: 1',
      ].join('\n'),
    ),
    [
      '2:13 minVersion: must be one of SSLv3, TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3; got the string "TLS1.2" (did you mean "TLSv1.2"?)',
      '3:21 minKeySizes.rsa: must be a whole number of bits; got the string "2048"',
      '3:33 minKeySizes.ec: must be from 1 to 16384 bits; got 0',
      '3:40 minKeySizes.dh: must be a whole number of bits; got number 2048.5',
      '4:29 maxCertificateLifetimeDays: must be a whole number of days; got a list',
      '5:20 expiryWarningDays: must be from 0 to 3650 days; got -1',
      '6:14 requireHsts: must be true, false or a map with minMaxAge; got the string "yes"',
      '7:28 requireClientCertificates: must be true or false; got number 1',
    ],
  );
  assert.deepEqual(problems('version: 1\nrequireHsts: { maxAge: 5 }\n'), [
    '2:16 requireHsts.maxAge: unknown key "maxAge" (did you mean "minMaxAge"?)',
    '2:14 requireHsts: a map needs minMaxAge (seconds)',
  ]);
  assert.deepEqual(problems('- version: 1\n'), ['1:1 : a policy is a map of keys; got a list']);
  assert.deepEqual(problems(''), ['1:1 : the file is empty; a policy starts with "version: 1"']);
});

test('allowedSuites: unknown names, empty selections, no TLS 1.3', () => {
  assert.deepEqual(
    problems(
      'version: 1\nallowedSuites:\n  - ECDHE+AESGCM\n  - ECDHE-RSA-AES128-GCM-SHA25\n  - ECDHE+RC2\n',
    ),
    [
      '4:5 allowedSuites[1]: "ECDHE-RSA-AES128-GCM-SHA25" is neither a keyword nor a suite name (did you mean "ECDHE-RSA-AES128-GCM-SHA256"?)',
      '5:5 allowedSuites[2]: `ECDHE+RC2` selects no suite',
    ],
  );
  assert.deepEqual(problems('version: 1\nallowedSuites: ECDHE+AESGCM\n'), [
    '2:16 allowedSuites: selects no TLS 1.3 suite: OpenSSL keywords never select TLS 1.3 suites; add "TLSv1.3" (all of them) or their names, such as TLS_AES_128_GCM_SHA256',
  ]);
  assert.deepEqual(problems('version: 1\nallowedSuites: "HIGH:!HIGH"\n'), [
    '2:16 allowedSuites: selects no suite at all',
  ]);
  assert.deepEqual(problems('version: 1\nallowedSuites: []\n'), [
    '2:16 allowedSuites: must be a cipher string or a non-empty list of them; got a list',
  ]);
  assert.deepEqual(problems('version: 1\nallowedSuites: [HIGH, 3]\n'), [
    '2:23 allowedSuites[1]: must be a cipher string; got number 3',
  ]);
});

test('suppressions: ids, targets, reasons and dates are checked', () => {
  const text = [
    'version: 1',
    'suppressions:',
    '  - id: protocol.tls1',
    '    targets: ["a:b:c", "db:99999"]',
    '    reason: ""',
    '    expires: 2026-02-30',
    '  - id: suite.rc4',
    '    targets: [x]',
    '    reason: old clients',
    '    expires: 2026-06-30',
    '  - id: suite.rc4',
    '    targets: []',
    '    expires: 30/06/2027',
    '    until: never',
  ].join('\n');
  assert.deepEqual(problems(text), [
    '3:9 suppressions[0].id: the string "protocol.tls1" is not a finding id (docs/findings.md) (did you mean "protocol.tls10"?)',
    '4:15 suppressions[0].targets[0]: "a:b:c": write an IPv6 address in brackets, [::1]:443',
    '4:24 suppressions[0].targets[1]: "db:99999": the port is a number from 0 to 65535 or *',
    '5:13 suppressions[0].reason: must not be empty',
    '6:14 suppressions[0].expires: 2026-02-30 is not a day of the calendar',
    '10:14 suppressions[1].expires: expired on 2026-06-30: renew the suppression with a new date, or remove it and fix the finding',
    '14:5 suppressions[2].until: unknown key "until"',
    '11:5 suppressions[2]: reason is required',
    '12:14 suppressions[2].targets: must be a list of 1 to 256 "host:port" patterns; got a list',
    '13:14 suppressions[2].expires: must be a date written YYYY-MM-DD; got the string "30/06/2027"',
  ]);
  assert.deepEqual(problems('version: 1\nsuppressions: {}\n'), [
    '2:15 suppressions: must be a list of at most 1000 suppressions; got a map',
  ]);
});

test('a YAML 1.1 timestamp is read as the date it spells', () => {
  const policy = parsePolicy(
    '%YAML 1.1\n---\nversion: 1\nsuppressions:\n  - {id: suite.cbc, targets: [x], reason: r, expires: 2027-01-31}\n',
    'p',
    { now: NOW },
  );
  assert.equal(policy.suppressions[0]?.expires, '2027-01-31');
});

test('the error message lists each problem as file:line:column: path: message', () => {
  try {
    parsePolicy('version: 1\nminVersoin: x\nrequireHsts: 3\n', 'ci/policy.yaml', { now: NOW });
    assert.fail('accepted');
  } catch (error) {
    assert.ok(isWiretightError(error));
    assert.equal(
      error.message,
      'ci/policy.yaml:2:1: minVersoin: unknown key "minVersoin" (did you mean "minVersion"?)\n' +
        'ci/policy.yaml:3:14: requireHsts: must be true, false or a map with minMaxAge; got number 3',
    );
  }
});
