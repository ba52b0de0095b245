import assert from 'node:assert/strict';
import test from 'node:test';
import type { TargetReport } from '../report.ts';
import { matchesTarget, parseTargetPattern } from './target-pattern.ts';

const target = (host: string, port: number, ip = '10.0.0.7'): TargetReport => ({
  host,
  port,
  ip,
  sni: host,
});

function matches(pattern: string, t: TargetReport): boolean {
  const parsed = parseTargetPattern(pattern);
  assert.ok(typeof parsed !== 'string', String(parsed));
  return matchesTarget(parsed, t);
}

test('host:port, host alone, globs over host and port, IP addresses', () => {
  const db = target('db.internal', 5432);
  assert.ok(matches('db.internal:5432', db));
  assert.ok(matches('DB.Internal:5432', db));
  assert.ok(!matches('db.internal:443', db));
  assert.ok(matches('db.internal', db));
  assert.ok(matches('db.internal:*', db));
  assert.ok(matches('*.internal:5432', db));
  assert.ok(matches('d?.internal', db));
  assert.ok(!matches('d?.internal.com', db));
  assert.ok(matches('10.0.0.*:5432', db));
  assert.ok(matches('[2001:db8::*]:443', target('v6.example', 443, '2001:db8::1')));
  // Dots are literal, not regex wildcards.
  assert.ok(!matches('db.internal', target('dbxinternal', 5432)));
});

test('malformed patterns say what is wrong', () => {
  assert.equal(parseTargetPattern(''), 'a target pattern has 1 to 255 characters');
  assert.equal(
    parseTargetPattern('a:b:c'),
    '"a:b:c": write an IPv6 address in brackets, [::1]:443',
  );
  assert.equal(
    parseTargetPattern('db(1):443'),
    '"db(1):443": the host part may hold letters, digits, ".", "-", "_" and the globs * and ?',
  );
  assert.equal(
    parseTargetPattern('db:http'),
    '"db:http": the port is a number from 0 to 65535 or *',
  );
  assert.equal(
    parseTargetPattern('db:70000'),
    '"db:70000": the port is a number from 0 to 65535 or *',
  );
  assert.equal(parseTargetPattern('[zz]:1'), '"[zz]:1": [zz] is not an IPv6 address or glob');
});
