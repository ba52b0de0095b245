// Chains a hostile server can send: garbage, truncated certificates, absurd dates, very
// deep and very long chains. Each must give verdicts (plain JSON), never a throw or a hang.
import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { type ChainEntry, describeCertificate } from './certificate-facts.ts';
import { MAX_SIGNATURE_CHECKS } from './issuance.ts';
import { MAX_PATH_LENGTH } from './path.ts';
import { DAY, NOW, type TestCertificate, issue, makeChain } from './testdata/certificates.ts';
import { TrustStore } from './trust-store.ts';
import { verifyCertificates } from './verify-certificates.ts';

const HOST = 'www.example.test';
const storeOf = (root: TestCertificate): TrustStore =>
  new TrustStore({
    mozilla: false,
    system: false,
    files: [{ path: 'root', certificates: [root.der] }],
  });

function entry(der: Uint8Array): ChainEntry {
  const r = describeCertificate(der);
  return r.ok ? r.facts : r.certificate;
}

async function verify(chain: readonly ChainEntry[], trust: TrustStore) {
  const v = await verifyCertificates(chain, { host: HOST, now: NOW, trust, fetcher: null });
  assert.deepEqual(JSON.parse(JSON.stringify(v)), v, 'verdicts are plain JSON');
  return v;
}

test('any mix of certificates, garbage and truncated DER gives verdicts', async () => {
  const { root, intermediate, leaf } = makeChain(HOST);
  const trust = storeOf(root);
  const pieces = [leaf.der, intermediate.der, root.der];
  const part = fc.oneof(
    fc.constantFrom(...pieces),
    fc.uint8Array({ maxLength: 64 }),
    fc
      .tuple(fc.constantFrom(...pieces), fc.nat())
      .map(([der, cut]) => der.subarray(0, cut % der.length)),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(part, { maxLength: 6 }), async (chain) => {
      const v = await verify(chain.map(entry), trust);
      assert.equal(v.served.length, chain.length);
    }),
    { numRuns: 150 },
  );
});

test('a truncated leaf is an unparseable leaf; a truncated intermediate an unparseable entry', async () => {
  const { root, intermediate, leaf } = makeChain(HOST);
  const trust = storeOf(root);
  const cut = (c: TestCertificate) => entry(c.der.subarray(0, c.der.length - 20));
  const v = await verify([cut(leaf), intermediate.entry], trust);
  assert.deepEqual(v.trust.reasons, ['unparseable-leaf']);
  const w = await verify([leaf.entry, cut(intermediate)], trust);
  assert.deepEqual(
    [w.trust.reasons, w.chain.unparseable, w.chain.incomplete],
    [['unknown-issuer'], [1], true],
  );
});

test('absurd dates: 1950 to 9999, and notAfter before notBefore', async () => {
  const root = issue({
    cn: 'Root',
    ca: true,
    notBefore: new Date('1950-01-01T00:00:00Z'),
    notAfter: new Date('9999-12-31T23:59:59Z'),
  });
  const leaf = issue({
    cn: HOST,
    dns: [HOST],
    issuer: root,
    notBefore: new Date('1950-01-01T00:00:00Z'),
    notAfter: new Date('9999-12-31T23:59:59Z'),
  });
  const v = await verify([leaf.entry], storeOf(root));
  assert.equal(v.trust.trusted, true);
  assert.equal(v.path[0]?.validity.lifetimeDays, 2_940_202);
  const inverted = issue({
    cn: HOST,
    dns: [HOST],
    issuer: root,
    notBefore: new Date(NOW.getTime() + DAY),
    notAfter: new Date(NOW.getTime() - DAY),
  });
  const w = await verify([inverted.entry], storeOf(root));
  assert.deepEqual(w.trust.reasons, ['not-yet-valid']);
  assert.ok((w.path[0]?.validity.lifetimeDays ?? 0) < 0);
});

test('validity times OpenSSL cannot read make an unparseable entry, not a crash', async () => {
  const root = issue({ cn: 'Root', ca: true });
  // Many certificates: for such times Node's validToDate is sometimes Invalid Date and
  // sometimes a garbage date (year 72528), so one try would pass by luck.
  for (let i = 0; i < 50; i++) {
    const leaf = issue({ cn: HOST, issuer: root, notAfter: new Date('2049-12-31T23:59:59Z') });
    const der = Buffer.from(leaf.der);
    const at = der.indexOf('491231235959Z', 0, 'latin1');
    assert.ok(at > 0);
    der.write('491331235959Z', at, 'latin1'); // month 13
    const broken = describeCertificate(der);
    assert.equal(broken.ok, false);
    assert.match(broken.ok ? '' : broken.certificate.parseError, /invalid validity dates/);
    const v = await verify([entry(der)], storeOf(root));
    assert.deepEqual(v.trust.reasons, ['unparseable-leaf']);
  }
});

test('a 50-deep chain stops at the path cap and is still read in order', async () => {
  const root = issue({ cn: 'Deep Root', ca: true });
  let parent = root;
  const cas: TestCertificate[] = [];
  for (let i = 1; i < 50; i++) {
    parent = issue({ cn: `Deep CA ${i}`, ca: true, issuer: parent });
    cas.push(parent);
  }
  const leaf = issue({ cn: HOST, dns: [HOST], issuer: parent });
  const chain = [leaf, ...cas.reverse()].map((c) => c.entry);
  const v = await verify(chain, storeOf(root));
  assert.deepEqual(v.trust.reasons, ['limit-exceeded']);
  assert.equal(v.path.length, MAX_PATH_LENGTH);
  assert.equal(v.chain.ordered, true);
  assert.equal(v.served.length, 50);
});

test('300 certificates all named like the issuer: verification stops at the signature budget', async () => {
  const root = issue({ cn: 'Root', ca: true });
  const intermediate = issue({ cn: 'Test Intermediate', ca: true, issuer: root });
  // No key identifiers: OpenSSL can then only tell candidates apart by their signature.
  const leaf = issue({ cn: HOST, dns: [HOST], issuer: intermediate, noKeyIds: true });
  const impostors = Array.from({ length: 298 }, () =>
    issue({ cn: 'Test Intermediate', ca: true, issuer: root, noKeyIds: true }),
  );
  const chain = [leaf, ...impostors, intermediate].map((c) => c.entry);
  assert.equal(chain.length, 300);
  const v = await verify(chain, storeOf(root));
  assert.deepEqual(v.trust.reasons, ['limit-exceeded']);
  assert.ok(MAX_SIGNATURE_CHECKS < impostors.length);
  assert.equal(v.served.length, 300);
});

test('300 certificates, the real chain first and the rest duplicates: trusted, and said to be messy', async () => {
  const { root, intermediate, leaf } = makeChain(HOST);
  const chain = [leaf, ...Array.from({ length: 299 }, () => intermediate)].map((c) => c.entry);
  const v = await verify(chain, storeOf(root));
  assert.equal(v.trust.trusted, true);
  assert.equal(v.chain.duplicates.length, 298);
});
