// Certificates made in-test for the pki unit tests: any dates, names, extensions, keys
// and signature digests, signed with node:crypto. Built with @peculiar/asn1-x509 (an
// independent encoder from the DER reader under test) and read back by OpenSSL through
// describeCertificate, so a test certificate is one OpenSSL accepts. Test-only
// (testdata/ is not built).
import { type KeyObject, createHash, generateKeyPairSync, sign } from 'node:crypto';
import { AsnConvert, AsnParser, OctetString } from '@peculiar/asn1-schema';
import {
  AccessDescription,
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  CRLDistributionPoints,
  Certificate,
  DistributionPoint,
  DistributionPointName,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Time,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { type CertificateFacts, describeCertificate } from '../certificate-facts.ts';

export type KeyKind = 'p256' | 'p224' | 'p384' | 'rsa1024' | 'rsa2048' | 'ed25519';
export type Digest = 'sha256' | 'sha384' | 'sha1' | 'md5';

export interface TestKey {
  readonly kind: KeyKind;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

const CURVES: Partial<Record<KeyKind, string>> = {
  p256: 'P-256',
  p224: 'secp224r1',
  p384: 'P-384',
};

export function newKey(kind: KeyKind = 'p256'): TestKey {
  const { privateKey, publicKey } =
    kind === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : kind.startsWith('rsa')
        ? generateKeyPairSync('rsa', { modulusLength: Number(kind.slice(3)) })
        : generateKeyPairSync('ec', { namedCurve: CURVES[kind] ?? 'P-256' });
  return { kind, privateKey, publicKey };
}

const rsaCache = new Map<KeyKind, TestKey>();
/** RSA keys are slow to make: one per size per process. */
export function sharedKey(kind: 'rsa1024' | 'rsa2048'): TestKey {
  let key = rsaCache.get(kind);
  if (key === undefined) {
    key = newKey(kind);
    rsaCache.set(kind, key);
  }
  return key;
}

export interface TestCertificate {
  readonly der: Uint8Array;
  readonly pem: string;
  readonly key: TestKey;
  /** The report's facts of it: the chain entry a scan would carry. */
  readonly entry: CertificateFacts;
  readonly name: Name;
  readonly keyId: Uint8Array;
}

export interface CertSpec {
  readonly cn: string;
  /** The CA that signs it; self-signed when absent. */
  readonly issuer?: TestCertificate;
  readonly key?: TestKey;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly ca?: boolean;
  readonly pathLength?: number;
  readonly dns?: readonly string[];
  readonly ips?: readonly string[];
  readonly digest?: Digest;
  readonly ocsp?: readonly string[];
  readonly caIssuers?: readonly string[];
  readonly crl?: readonly string[];
  /** Embedded SCTs (dummy bodies: only their count is read). */
  readonly scts?: number;
  readonly mustStaple?: boolean;
  readonly eku?: readonly string[];
  readonly serial?: number;
  /** Leave out the key identifiers (OpenSSL then matches issuers by name only). */
  readonly noKeyIds?: boolean;
  /** Extensions added as they are, for malformed-extension tests. */
  readonly rawExtensions?: readonly { oid: string; value: Uint8Array; critical?: boolean }[];
}

export const DAY = 86_400_000;
/** The instant the unit tests judge at; certificates default to valid around it. */
export const NOW = new Date('2026-06-01T12:00:00Z');

const SIGNATURE_OIDS: Record<'rsa' | 'ec', Partial<Record<Digest, string>>> = {
  rsa: {
    sha256: '1.2.840.113549.1.1.11',
    sha384: '1.2.840.113549.1.1.12',
    sha1: '1.2.840.113549.1.1.5',
    md5: '1.2.840.113549.1.1.4',
  },
  ec: {
    sha256: '1.2.840.10045.4.3.2',
    sha384: '1.2.840.10045.4.3.3',
    sha1: '1.2.840.10045.4.1',
  },
};

const DER_NULL = new Uint8Array([0x05, 0x00]).buffer;

function signatureAlgorithm(key: TestKey, digest: Digest): AlgorithmIdentifier {
  if (key.kind === 'ed25519') return new AlgorithmIdentifier({ algorithm: '1.3.101.112' });
  const family = key.kind.startsWith('rsa') ? 'rsa' : 'ec';
  const algorithm = SIGNATURE_OIDS[family][digest];
  if (algorithm === undefined) throw new TypeError(`no ${family} signature with ${digest}`);
  return family === 'rsa'
    ? new AlgorithmIdentifier({ algorithm, parameters: DER_NULL })
    : new AlgorithmIdentifier({ algorithm });
}

/** Signs `data` as the AlgorithmIdentifier of `signatureAlgorithm` says. */
export function signWith(key: TestKey, digest: Digest, data: Uint8Array): Uint8Array {
  return sign(key.kind === 'ed25519' ? null : digest, data, key.privateKey);
}

export function signatureAlgorithmFor(key: TestKey, digest: Digest): AlgorithmIdentifier {
  return signatureAlgorithm(key, digest);
}

export function nameOf(cn: string): Name {
  return new Name([
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({ type: '2.5.4.3', value: new AttributeValue({ utf8String: cn }) }),
    ]),
  ]);
}

/** UTCTime for 1950-2049 as RFC 5280 requires, GeneralizedTime otherwise. */
function time(date: Date): Time {
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050
    ? new Time({ utcTime: date })
    : new Time({ generalTime: date });
}

const ab = (b: Uint8Array): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

function ext(oid: string, value: unknown, critical = false): Extension {
  const der = value instanceof Uint8Array ? value : new Uint8Array(AsnConvert.serialize(value));
  return new Extension({ extnID: oid, critical, extnValue: new OctetString(der) });
}

const uri = (u: string): GeneralName => new GeneralName({ uniformResourceIdentifier: u });

function extensionsFor(spec: CertSpec, keyId: Uint8Array): Extension[] {
  const out: Extension[] = [];
  if (spec.ca !== undefined) {
    out.push(
      ext(
        '2.5.29.19',
        new BasicConstraints({
          cA: spec.ca,
          ...(spec.pathLength === undefined ? {} : { pathLenConstraint: spec.pathLength }),
        }),
        true,
      ),
    );
    // keyCertSign + cRLSign for a CA, digitalSignature for a leaf (BIT STRING by hand)
    const usage = spec.ca ? [0x03, 0x02, 0x01, 0x06] : [0x03, 0x02, 0x07, 0x80];
    out.push(ext('2.5.29.15', new Uint8Array(usage), true));
  }
  if (spec.noKeyIds !== true) {
    out.push(ext('2.5.29.14', new SubjectKeyIdentifier(keyId)));
    if (spec.issuer !== undefined) {
      out.push(
        ext(
          '2.5.29.35',
          new AuthorityKeyIdentifier({ keyIdentifier: new OctetString(spec.issuer.keyId) }),
        ),
      );
    }
  }
  const names = [
    ...(spec.dns ?? []).map((d) => new GeneralName({ dNSName: d })),
    ...(spec.ips ?? []).map((ip) => new GeneralName({ iPAddress: ip })),
  ];
  if (names.length > 0) out.push(ext('2.5.29.17', new SubjectAlternativeName(names)));
  const access = [
    ...(spec.ocsp ?? []).map(
      (u) => new AccessDescription({ accessMethod: '1.3.6.1.5.5.7.48.1', accessLocation: uri(u) }),
    ),
    ...(spec.caIssuers ?? []).map(
      (u) => new AccessDescription({ accessMethod: '1.3.6.1.5.5.7.48.2', accessLocation: uri(u) }),
    ),
  ];
  if (access.length > 0) out.push(ext('1.3.6.1.5.5.7.1.1', new AuthorityInfoAccessSyntax(access)));
  if (spec.crl !== undefined && spec.crl.length > 0) {
    const points = spec.crl.map(
      (u) =>
        new DistributionPoint({
          distributionPoint: new DistributionPointName({ fullName: [uri(u)] }),
        }),
    );
    out.push(ext('2.5.29.31', new CRLDistributionPoints(points)));
  }
  if (spec.eku !== undefined) out.push(ext('2.5.29.37', new ExtendedKeyUsage([...spec.eku])));
  if (spec.mustStaple === true) {
    out.push(ext('1.3.6.1.5.5.7.1.24', new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05])));
  }
  if (spec.scts !== undefined) out.push(ext('1.3.6.1.4.1.11129.2.4.2', sctList(spec.scts)));
  for (const raw of spec.rawExtensions ?? []) out.push(ext(raw.oid, raw.value, raw.critical));
  return out;
}

/** An OCTET STRING holding a TLS SignedCertificateTimestampList of `n` dummy SCTs. */
function sctList(n: number): Uint8Array {
  const sct = Buffer.alloc(10, 0x5c);
  const items = Buffer.concat(
    Array.from({ length: n }, () => Buffer.concat([Buffer.from([0, sct.length]), sct])),
  );
  const list = Buffer.concat([Buffer.from([items.length >> 8, items.length & 0xff]), items]);
  return new Uint8Array(AsnConvert.serialize(new OctetString(list)));
}

let serialCounter = 0x1000;

/** A positive INTEGER's minimal DER contents (a leading 0 only before a high bit). */
function integerBytes(n: number): Uint8Array {
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return Buffer.from(hex, 'hex');
}

export function issue(spec: CertSpec): TestCertificate {
  const key = spec.key ?? newKey();
  const signer = spec.issuer?.key ?? key;
  const digest = spec.digest ?? 'sha256';
  const spkiDer = new Uint8Array(key.publicKey.export({ type: 'spki', format: 'der' }));
  const spki = AsnParser.parse(spkiDer, SubjectPublicKeyInfo);
  const keyId = createHash('sha1').update(new Uint8Array(spki.subjectPublicKey)).digest();
  const name = nameOf(spec.cn);
  const extensions = extensionsFor(spec, keyId);
  const serial = spec.serial ?? ++serialCounter;
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: ab(integerBytes(serial)),
    signature: signatureAlgorithm(signer, digest),
    issuer: spec.issuer?.name ?? name,
    validity: new Validity({ notBefore: NOW, notAfter: NOW }),
    subject: name,
    subjectPublicKeyInfo: spki,
    ...(extensions.length === 0 ? {} : { extensions: new Extensions(extensions) }),
  });
  tbs.validity.notBefore = time(spec.notBefore ?? new Date(NOW.getTime() - 30 * DAY));
  tbs.validity.notAfter = time(spec.notAfter ?? new Date(NOW.getTime() + 60 * DAY));
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const cert = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: signatureAlgorithm(signer, digest),
    signatureValue: ab(signWith(signer, digest, tbsDer)),
  });
  const der = new Uint8Array(AsnConvert.serialize(cert));
  const described = describeCertificate(der);
  if (!described.ok)
    throw new TypeError(`test certificate rejected: ${described.certificate.parseError}`);
  return { der, pem: described.facts.pem, key, entry: described.facts, name, keyId };
}

/** A root CA, an intermediate under it, and a leaf for `host` under that. */
export function makeChain(
  host = 'www.example.test',
  leaf: Partial<CertSpec> = {},
): { root: TestCertificate; intermediate: TestCertificate; leaf: TestCertificate } {
  const root = issue({ cn: 'Test Root', ca: true, notAfter: new Date(NOW.getTime() + 3650 * DAY) });
  const intermediate = issue({ cn: 'Test Intermediate', ca: true, pathLength: 0, issuer: root });
  return {
    root,
    intermediate,
    leaf: issue({ cn: host, dns: [host], ca: false, issuer: intermediate, ...leaf }),
  };
}
