// PKCS#10 CSRs for the ACME tests, built with @peculiar/asn1-csr and signed with
// node:crypto: any names, any key, and a way to break the signature. Test-only (testdata/
// is not built).
import { type KeyObject, generateKeyPairSync, sign } from 'node:crypto';
import { AsnConvert, AsnParser, OctetString } from '@peculiar/asn1-schema';
import { Attributes, CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import {
  AlgorithmIdentifier,
  Attribute,
  Extension,
  Extensions,
  GeneralName,
  Name,
  SubjectAlternativeName,
  SubjectPublicKeyInfo,
} from '@peculiar/asn1-x509';
import type { Identifier } from '../../ca/types.ts';
import { nameOf } from '../../pki/testdata/certificates.ts';

export interface CsrSpec {
  readonly identifiers: readonly Identifier[];
  readonly commonName?: string;
  /** Defaults to a fresh P-256 key. */
  readonly privateKey?: KeyObject;
  readonly publicKey?: KeyObject;
  /** Flip a bit of the signature. */
  readonly badSignature?: boolean;
}

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const DER_NULL = new Uint8Array([0x05, 0x00]).buffer;
const ab = (b: Uint8Array): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

export function ecKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

export function buildCsr(spec: CsrSpec): Uint8Array {
  const pair =
    spec.privateKey !== undefined && spec.publicKey !== undefined
      ? { privateKey: spec.privateKey, publicKey: spec.publicKey }
      : ecKeyPair();
  const spki = AsnParser.parse(
    pair.publicKey.export({ type: 'spki', format: 'der' }),
    SubjectPublicKeyInfo,
  );
  const names = spec.identifiers.map((id) =>
    id.type === 'dns'
      ? new GeneralName({ dNSName: id.value })
      : new GeneralName({ iPAddress: id.value }),
  );
  const san = new Extension({
    extnID: '2.5.29.17',
    critical: false,
    extnValue: new OctetString(AsnConvert.serialize(new SubjectAlternativeName(names))),
  });
  const request = new Attribute({
    type: EXTENSION_REQUEST,
    values: [AsnConvert.serialize(new Extensions([san]))],
  });
  const info = new CertificationRequestInfo({
    version: 0,
    subject: spec.commonName === undefined ? new Name() : nameOf(spec.commonName),
    subjectPKInfo: spki,
    attributes: new Attributes([request]),
  });
  const tbs = new Uint8Array(AsnConvert.serialize(info));
  const rsa = pair.privateKey.asymmetricKeyType === 'rsa';
  const signature = sign('sha256', tbs, pair.privateKey);
  if (spec.badSignature === true)
    signature.writeUInt8(signature.readUInt8(signature.length - 8) ^ 1, signature.length - 8);
  const csr = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: rsa
      ? new AlgorithmIdentifier({ algorithm: '1.2.840.113549.1.1.11', parameters: DER_NULL })
      : new AlgorithmIdentifier({ algorithm: '1.2.840.10045.4.3.2' }),
    signature: ab(signature),
  });
  return new Uint8Array(AsnConvert.serialize(csr));
}
