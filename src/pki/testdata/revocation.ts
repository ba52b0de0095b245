// OCSP responses and CRLs made in-test, signed by test CAs, good or broken on purpose.
// Hashes and serials are computed here from the test certificates' own encodings, not
// with the code under test. Test-only (testdata/ is not built).
import { createHash } from 'node:crypto';
import {
  BasicOCSPResponse,
  CertID,
  CertStatus,
  KeyHash,
  OCSPResponse,
  ResponderID,
  ResponseBytes,
  ResponseData,
  RevokedInfo,
  SingleResponse,
  id_pkix_ocsp_basic,
} from '@peculiar/asn1-ocsp';
import { AsnConvert, AsnParser, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  Certificate,
  CertificateList,
  CRLReason,
  Extension,
  RevokedCertificate,
  SubjectPublicKeyInfo,
  TBSCertList,
  Time,
  Version,
} from '@peculiar/asn1-x509';
import { DAY, NOW, type TestCertificate, signWith, signatureAlgorithmFor } from './certificates.ts';

const ab = (b: Uint8Array): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

function serialOf(cert: TestCertificate): ArrayBuffer {
  return AsnParser.parse(cert.der, Certificate).tbsCertificate.serialNumber;
}

function publicKeyBits(cert: TestCertificate): Buffer {
  const spki = cert.key.publicKey.export({ type: 'spki', format: 'der' });
  return Buffer.from(AsnParser.parse(spki, SubjectPublicKeyInfo).subjectPublicKey);
}

export interface OcspSpec {
  readonly cert: TestCertificate;
  readonly issuer: TestCertificate;
  /** Who signs (default: the issuer). */
  readonly signer?: TestCertificate;
  readonly status?: 'good' | 'revoked' | 'unknown';
  readonly revokedAt?: Date;
  /** CRLReason code. */
  readonly reason?: number;
  readonly thisUpdate?: Date;
  /** null: no nextUpdate. */
  readonly nextUpdate?: Date | null;
  /** Certificates the answer carries (a delegated responder's). */
  readonly certs?: readonly TestCertificate[];
  /** Answer about another serial number. */
  readonly serial?: ArrayBuffer;
  /** CertID digest (default sha1). */
  readonly certIdDigest?: 'sha1' | 'sha256';
  /** Flip a bit of the signature. */
  readonly corruptSignature?: boolean;
}

const DIGEST_OIDS = { sha1: '1.3.14.3.2.26', sha256: '2.16.840.1.101.3.4.2.1' } as const;

/** A DER OCSPResponse about spec.cert. */
export function ocspResponse(spec: OcspSpec): Uint8Array {
  const signer = spec.signer ?? spec.issuer;
  const digest = spec.certIdDigest ?? 'sha1';
  const certID = new CertID({
    hashAlgorithm: new AlgorithmIdentifier({
      algorithm: DIGEST_OIDS[digest],
      parameters: new Uint8Array([5, 0]).buffer,
    }),
    issuerNameHash: new OctetString(
      createHash(digest)
        .update(new Uint8Array(AsnConvert.serialize(spec.issuer.name)))
        .digest(),
    ),
    issuerKeyHash: new OctetString(createHash(digest).update(publicKeyBits(spec.issuer)).digest()),
    serialNumber: spec.serial ?? serialOf(spec.cert),
  });
  const status = spec.status ?? 'good';
  const certStatus =
    status === 'good'
      ? new CertStatus({ good: null })
      : status === 'unknown'
        ? new CertStatus({ unknown: null })
        : new CertStatus({
            revoked: new RevokedInfo({
              revocationTime: spec.revokedAt ?? new Date(NOW.getTime() - 2 * DAY),
              ...(spec.reason === undefined
                ? {}
                : { revocationReason: new CRLReason(spec.reason) }),
            }),
          });
  const nextUpdate =
    spec.nextUpdate === undefined ? new Date(NOW.getTime() + DAY) : spec.nextUpdate;
  const data = new ResponseData({
    responderID: new ResponderID({
      byKey: new KeyHash(createHash('sha1').update(publicKeyBits(signer)).digest()),
    }),
    producedAt: NOW,
    responses: [
      new SingleResponse({
        certID,
        certStatus,
        thisUpdate: spec.thisUpdate ?? new Date(NOW.getTime() - 3600_000),
        ...(nextUpdate === null ? {} : { nextUpdate }),
      }),
    ],
  });
  const tbs = new Uint8Array(AsnConvert.serialize(data));
  const signature = Buffer.from(signWith(signer.key, 'sha256', tbs));
  if (spec.corruptSignature === true) {
    const last = signature.length - 1;
    signature.writeUInt8(signature.readUInt8(last) ^ 1, last);
  }
  const basic = new BasicOCSPResponse({
    tbsResponseData: data,
    signatureAlgorithm: signatureAlgorithmFor(signer.key, 'sha256'),
    signature: ab(signature),
    ...(spec.certs === undefined
      ? {}
      : { certs: spec.certs.map((c) => AsnParser.parse(c.der, Certificate)) }),
  });
  return ocspEnvelope(0, new Uint8Array(AsnConvert.serialize(basic)));
}

/** An OCSPResponse with `status` and, when given, a BasicOCSPResponse. */
export function ocspEnvelope(status: number, basic?: Uint8Array): Uint8Array {
  const response = new OCSPResponse({
    responseStatus: status,
    ...(basic === undefined
      ? {}
      : {
          responseBytes: new ResponseBytes({
            responseType: id_pkix_ocsp_basic,
            response: new OctetString(basic),
          }),
        }),
  });
  return new Uint8Array(AsnConvert.serialize(response));
}

export interface CrlSpec {
  readonly issuer: TestCertificate;
  /** Who signs (default: the issuer). */
  readonly signer?: TestCertificate;
  readonly revoked?: readonly { cert: TestCertificate; at?: Date; reason?: number }[];
  readonly thisUpdate?: Date;
  readonly nextUpdate?: Date | null;
  /** CRL extensions, e.g. a critical delta CRL indicator. */
  readonly extensions?: readonly { oid: string; critical: boolean; value: Uint8Array }[];
}

/** A DER CRL (v2). */
export function crl(spec: CrlSpec): Uint8Array {
  const signer = spec.signer ?? spec.issuer;
  const nextUpdate =
    spec.nextUpdate === undefined ? new Date(NOW.getTime() + 7 * DAY) : spec.nextUpdate;
  const revoked = (spec.revoked ?? []).map(
    (r) =>
      new RevokedCertificate({
        userCertificate: serialOf(r.cert),
        revocationDate: new Time(r.at ?? new Date(NOW.getTime() - DAY)),
        ...(r.reason === undefined
          ? {}
          : {
              crlEntryExtensions: [
                new Extension({
                  extnID: '2.5.29.21',
                  critical: false,
                  extnValue: new OctetString(new Uint8Array([0x0a, 0x01, r.reason])),
                }),
              ],
            }),
      }),
  );
  const tbs = new TBSCertList({
    version: Version.v2,
    signature: signatureAlgorithmFor(signer.key, 'sha256'),
    issuer: spec.issuer.name,
    thisUpdate: new Time(spec.thisUpdate ?? new Date(NOW.getTime() - 3600_000)),
    ...(nextUpdate === null ? {} : { nextUpdate: new Time(nextUpdate) }),
    ...(revoked.length === 0 ? {} : { revokedCertificates: revoked }),
    ...(spec.extensions === undefined
      ? {}
      : {
          crlExtensions: spec.extensions.map(
            (e) =>
              new Extension({
                extnID: e.oid,
                critical: e.critical,
                extnValue: new OctetString(e.value),
              }),
          ),
        }),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const list = new CertificateList({
    tbsCertList: tbs,
    signatureAlgorithm: signatureAlgorithmFor(signer.key, 'sha256'),
    signature: ab(signWith(signer.key, 'sha256', tbsDer)),
  });
  return new Uint8Array(AsnConvert.serialize(list));
}
