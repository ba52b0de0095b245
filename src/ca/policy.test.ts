import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { parseIpRange } from './ip-range.ts';
import { describePublicKey } from './keys.ts';
import {
  DEFAULT_POLICY,
  type ProvisionerPolicy,
  checkIdentifiers,
  checkKey,
  checkUsage,
  lifetimeFor,
  parseDnsRule,
} from './policy.ts';
import type { Identifier } from './types.ts';

const policy: ProvisionerPolicy = {
  ...DEFAULT_POLICY,
  dns: ['.svc.internal', 'api.example.com'],
  ip: [parseIpRange('10.0.0.0/8'), parseIpRange('fd00::/8')],
  spiffeTrustDomain: 'example.org',
};

const refusal = (pattern: RegExp) => (err: unknown) =>
  (err as { code?: string }).code === 'WT_ERR_CA_POLICY' && pattern.test((err as Error).message);

const dns = (value: string): Identifier => ({ type: 'dns', value });

test('DNS: a suffix allows names under it but not itself; exact names allow only themselves', () => {
  assert.deepEqual(checkIdentifiers(policy, [dns('API.svc.internal')]), [dns('api.svc.internal')]);
  checkIdentifiers(policy, [dns('a.b.svc.internal'), dns('api.example.com')]);
  for (const name of [
    'svc.internal',
    'evilsvc.internal',
    'x.api.example.com',
    'example.com',
    'svc.internal.evil.com',
  ]) {
    assert.throws(
      () => checkIdentifiers(policy, [dns(name)]),
      refusal(
        new RegExp(
          `dns:${name.replace(/\./g, '\\.')} is not allowed: it is not one of, or under, the allowed DNS names \\(policy: dns: \\.svc\\.internal, api\\.example\\.com\\)`,
        ),
      ),
      name,
    );
  }
});

test('wildcards only when the policy says so, and only over allowed names', () => {
  assert.throws(
    () => checkIdentifiers(policy, [dns('*.svc.internal')]),
    refusal(/wildcards are not allowed \(policy: wildcards: false\)/),
  );
  const open = { ...policy, wildcards: true, dns: [...policy.dns, '*.exact.example.com'] };
  checkIdentifiers(open, [
    dns('*.svc.internal'),
    dns('*.a.svc.internal'),
    dns('*.exact.example.com'),
  ]);
  assert.throws(
    () => checkIdentifiers(open, [dns('*.api.example.com')]),
    refusal(/\*\.api\.example\.com is not allowed/),
  );
  assert.throws(
    () => checkIdentifiers(open, [dns('*.internal')]),
    refusal(/wildcard over fewer than two labels/),
  );
});

test('IP addresses must fall in an allowed range; an empty list allows none', () => {
  checkIdentifiers(policy, [
    { type: 'ip', value: '10.9.8.7' },
    { type: 'ip', value: 'fd12::1' },
  ]);
  assert.throws(
    () => checkIdentifiers(policy, [{ type: 'ip', value: '192.168.0.1' }]),
    refusal(
      /ip:192\.168\.0\.1 is not allowed: it is outside the allowed ranges \(policy: ip: 10\.0\.0\.0\/8, fd00::\/8\)/,
    ),
  );
  assert.throws(
    () => checkIdentifiers(DEFAULT_POLICY, [{ type: 'ip', value: '10.0.0.1' }]),
    refusal(/policy allows no IP addresses/),
  );
});

test('URIs: SPIFFE IDs of the trust domain only, without dot segments; no trust domain, no URIs', () => {
  checkIdentifiers(policy, [{ type: 'uri', value: 'spiffe://example.org/ns/prod/sa/api' }]);
  for (const [uri, why] of [
    ['spiffe://other.org/a', /not a SPIFFE ID in trust domain example\.org/],
    ['https://example.org/a', /not a SPIFFE ID/],
    ['spiffe://example.org/', /path segment "" is not allowed/],
    ['spiffe://example.org/a/../b', /path segment "\.\." is not allowed/],
    ['spiffe://example.org/a?b', /path segment "a\?b"/],
    ['spiffe://example.org:443/a', /not a SPIFFE ID/],
  ] as const) {
    assert.throws(() => checkIdentifiers(policy, [{ type: 'uri', value: uri }]), refusal(why), uri);
  }
  assert.throws(
    () => checkIdentifiers(DEFAULT_POLICY, [{ type: 'uri', value: 'spiffe://example.org/a' }]),
    refusal(/no URIs \(policy: spiffe is not set\)/),
  );
});

test('the first refused identifier is named even after allowed ones', () => {
  assert.throws(
    () => checkIdentifiers(policy, [dns('ok.svc.internal'), dns('bad.example.net')]),
    refusal(/^dns:bad\.example\.net is not allowed/),
  );
});

test('keys: the allowed families, RSA at least minRsaBits', () => {
  checkKey(policy, describePublicKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey));
  checkKey(
    policy,
    describePublicKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey),
  );
  assert.throws(
    () =>
      checkKey(
        policy,
        describePublicKey(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey),
      ),
    refusal(/1024-bit RSA key is too small \(policy: keys\.minRsaBits: 2048\)/),
  );
  assert.throws(
    () =>
      checkKey(
        policy,
        describePublicKey(generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey),
      ),
    refusal(/ecdsa-p521 key is not allowed \(policy: keys\.types:/),
  );
  assert.throws(
    () => checkKey(policy, describePublicKey(generateKeyPairSync('ed448').publicKey)),
    refusal(/ed448 key is not allowed/),
  );
});

test('usages and lifetimes: default when none asked, above the maximum refused, nonsense is a RangeError', () => {
  checkUsage(policy, 'both');
  assert.throws(
    () => checkUsage({ ...policy, usages: ['server'] }, 'client'),
    refusal(/usage "client" is not allowed \(policy: usages: server\)/),
  );
  assert.equal(lifetimeFor(policy, undefined), 86_400);
  assert.equal(lifetimeFor(policy, 3600), 3600);
  assert.throws(
    () => lifetimeFor(policy, 31 * 86_400),
    refusal(/lifetime of 31d is above the maximum \(policy: lifetime\.max: 30d\)/),
  );
  assert.throws(() => lifetimeFor(policy, 0), RangeError);
  assert.throws(() => lifetimeFor(policy, 1.5), RangeError);
});

test('DNS rules read `.suffix` and exact names, refusing a wildcard suffix', () => {
  assert.equal(parseDnsRule('.SVC.internal'), '.svc.internal');
  assert.equal(parseDnsRule('*.a.example.com'), '*.a.example.com');
  assert.throws(() => parseDnsRule('.*.svc.internal'), RangeError);
  assert.throws(() => parseDnsRule('bad_name'), RangeError);
});
