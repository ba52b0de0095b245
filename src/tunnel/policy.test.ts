import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PeerIdentity } from './identity.ts';
import { createAuthorizer } from './policy.ts';

const peer = (over: Partial<PeerIdentity>): PeerIdentity => ({
  commonNames: [],
  organizationalUnits: [],
  dnsNames: [],
  uris: [],
  ipAddresses: [],
  serial: '01',
  notAfter: new Date(0),
  ...over,
});

test('each rule kind matches its own field and names itself in the decision', () => {
  const a = createAuthorizer({
    dns: ['API.svc.internal'],
    uri: ['spiffe://example.org/ns/prod/*', 'spiffe://example.org/exact'],
    cn: ['batch'],
    ou: ['payments'],
  });
  const cases: [Partial<PeerIdentity>, string | null][] = [
    [{ dnsNames: ['api.svc.internal'] }, 'dns:API.svc.internal'],
    [{ uris: ['spiffe://example.org/ns/prod/web'] }, 'uri:spiffe://example.org/ns/prod/*'],
    [{ uris: ['spiffe://example.org/ns/prod/a/b'] }, 'uri:spiffe://example.org/ns/prod/*'],
    [{ uris: ['spiffe://example.org/exact'] }, 'uri:spiffe://example.org/exact'],
    [{ commonNames: ['batch'] }, 'cn:batch'],
    [{ organizationalUnits: ['payments'] }, 'ou:payments'],
    // near misses
    [{ uris: ['spiffe://example.org/ns/prod/'] }, null],
    [{ uris: ['spiffe://example.org/ns/prod'] }, null],
    [{ uris: ['spiffe://example.org/ns/production/web'] }, null],
    [{ uris: ['spiffe://example.org/exact/more'] }, null],
    [{ dnsNames: ['x.api.svc.internal'] }, null],
    [{ commonNames: ['Batch'] }, null],
    [{ dnsNames: ['batch'], organizationalUnits: ['Payments'] }, null],
    [{}, null],
  ];
  for (const [identity, rule] of cases) {
    const d = a.authorize(peer(identity));
    assert.deepEqual(
      d,
      rule === null ? { allowed: false, reason: 'not-allowed' } : { allowed: true, rule },
      JSON.stringify(identity),
    );
  }
});

test('no rule allows nobody; --allow-all allows any verified peer and excludes other rules', () => {
  assert.equal(createAuthorizer({}).authorize(peer({ dnsNames: ['a'] })).allowed, false);
  assert.deepEqual(createAuthorizer({ any: true }).authorize(peer({})), {
    allowed: true,
    rule: 'any',
  });
  assert.throws(() => createAuthorizer({ any: true, cn: ['x'] }), RangeError);
});

test('malformed rules are RangeErrors naming the flag', () => {
  assert.throws(() => createAuthorizer({ uri: ['not a uri'] }), /--allow-uri not a uri/);
  assert.throws(() => createAuthorizer({ uri: ['spiffe://td/*/x'] }), /only a final/);
  assert.throws(() => createAuthorizer({ uri: ['spiffe://td/a*/*'] }), /only a final/);
  assert.throws(() => createAuthorizer({ dns: ['*.svc.internal'] }), /--allow-dns/);
  assert.throws(() => createAuthorizer({ dns: [''] }), /--allow-dns/);
  assert.throws(
    () => createAuthorizer({ cn: Array.from({ length: 1001 }, (_, i) => `n${i}`) }),
    RangeError,
  );
});
