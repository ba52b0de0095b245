import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { MAX_CSR_BYTES, csrFromFile, parseCsr } from './csr.ts';
import { pem } from './der-writer.ts';
import { type CsrSpec, emailName, makeCsr } from './testdata/csr.ts';
import type { Identifier } from './types.ts';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ed = generateKeyPairSync('ed25519');

const names: Identifier[] = [
  { type: 'dns', value: 'api.svc.internal' },
  { type: 'ip', value: '10.0.0.1' },
  { type: 'uri', value: 'spiffe://example.org/api' },
];

const csrError = (pattern: RegExp) => (err: unknown) =>
  (err as { code?: string }).code === 'WT_ERR_CA_CSR' && pattern.test((err as Error).message);

test('CSRs signed with ECDSA, Ed25519, RSA PKCS#1 v1.5 and RSA-PSS verify and give their names', () => {
  const specs: CsrSpec[] = [
    { ...ec, names },
    { ...ed, names },
    { ...rsa, names },
    { ...rsa, names, signature: 'rsa-pss' },
  ];
  for (const spec of specs) {
    const parsed = parseCsr(makeCsr(spec));
    assert.deepEqual(parsed.identifiers, names);
    assert.ok(parsed.publicKey.equals(spec.publicKey));
    assert.deepEqual(
      parsed.subjectKey.spki,
      new Uint8Array(spec.publicKey.export({ type: 'spki', format: 'der' })),
    );
  }
});

test('a DNS or IP common name counts as a name; another CN is ignored', () => {
  const cnOnly = parseCsr(makeCsr({ ...ec, commonName: 'Web.Svc.Internal' }));
  assert.deepEqual(cnOnly.identifiers, [{ type: 'dns', value: 'web.svc.internal' }]);
  assert.equal(cnOnly.commonName, 'web.svc.internal');
  const both = parseCsr(makeCsr({ ...ec, commonName: 'api.svc.internal', names }));
  assert.deepEqual(both.identifiers, names, 'the CN repeats a SAN entry: no duplicate');
  assert.deepEqual(parseCsr(makeCsr({ ...ec, commonName: '10.0.0.9' })).identifiers, [
    { type: 'ip', value: '10.0.0.9' },
  ]);
  const label = parseCsr(makeCsr({ ...ec, commonName: 'My Service', names: [names[0]!] }));
  assert.deepEqual(label.identifiers, [names[0]]);
  assert.equal(label.commonName, undefined);
});

test('a CSR whose signature does not verify is refused', () => {
  const der = makeCsr({ ...ec, names });
  const flipped = Uint8Array.from(der);
  flipped[flipped.length - 5]! ^= 0x01;
  assert.throws(() => parseCsr(flipped), csrError(/signature does not verify|not a valid PKCS#10/));
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const mixed = makeCsr({ publicKey: ec.publicKey, privateKey: other.privateKey, names });
  assert.throws(() => parseCsr(mixed), csrError(/signature does not verify/));
});

test('CSRs asking for what the CA never issues, or signed with SHA-1, are refused', () => {
  assert.throws(() => parseCsr(makeCsr({ ...ec })), csrError(/names nothing/));
  assert.throws(
    () => parseCsr(makeCsr({ ...ec, names, extraGeneralNames: [emailName('a@b.c')] })),
    csrError(/other than a DNS name/),
  );
  assert.throws(
    () => parseCsr(makeCsr({ ...rsa, names, signature: 'sha1' })),
    csrError(/sha1WithRSAEncryption, a broken digest/),
  );
  assert.throws(
    () => parseCsr(makeCsr({ ...ec, names: [{ type: 'dns', value: 'bad_name.internal' }] })),
    csrError(/not valid: dns:"bad_name.internal"/),
  );
  assert.throws(() => parseCsr(makeCsr({ ...ec, names, version: 1 })), csrError(/not version 1/));
});

test('hostile bytes: garbage, truncation, trailing data, huge input — a typed error every time', () => {
  const der = makeCsr({ ...ec, names });
  assert.throws(() => parseCsr(new Uint8Array(MAX_CSR_BYTES + 1)), csrError(/larger than/));
  assert.throws(() => parseCsr(der.subarray(0, der.length - 1)), csrError(/not a valid PKCS#10/));
  assert.throws(() => parseCsr(Uint8Array.from([...der, 0])), csrError(/not a valid PKCS#10/));
  assert.throws(() => parseCsr('x' as never), TypeError);
  // Regression: a signature BIT STRING claiming unused bits leaked the DER reader's error.
  const partialBits = Uint8Array.from(der);
  partialBits.set([1], 197);
  assert.throws(() => parseCsr(partialBits), csrError(/./));
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(der.length - 1), (noise, at) => {
      const mangled = Uint8Array.from(der);
      mangled.set(noise.subarray(0, der.length - at), at);
      try {
        parseCsr(mangled);
      } catch (err) {
        assert.ok(
          (err as { code?: string }).code === 'WT_ERR_CA_CSR' ||
            (err as { code?: string }).code === 'WT_ERR_CA_POLICY',
          String(err),
        );
      }
    }),
    { numRuns: 300 },
  );
});

test('CSR files: PEM (either label) or DER', () => {
  const der = makeCsr({ ...ec, names });
  assert.deepEqual(csrFromFile(Buffer.from(pem('CERTIFICATE REQUEST', der)), 'a.csr'), der);
  assert.deepEqual(csrFromFile(Buffer.from(pem('NEW CERTIFICATE REQUEST', der)), 'a.csr'), der);
  assert.deepEqual(csrFromFile(der, 'a.der'), der);
  assert.throws(
    () => csrFromFile(Buffer.from('hello'), 'x.csr'),
    csrError(/x\.csr holds no CERTIFICATE REQUEST/),
  );
  assert.throws(
    () => csrFromFile(Buffer.from(pem('CERTIFICATE', der)), 'x.csr'),
    csrError(/holds no CERTIFICATE REQUEST/),
  );
});
