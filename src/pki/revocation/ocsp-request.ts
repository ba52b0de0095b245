import { createHash } from 'node:crypto';
import { CertID, OCSPRequest, Request, TBSRequest } from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import type { ParsedCertificate } from '../parsed-certificate.ts';

const SHA1 = '1.3.14.3.2.26';
const DER_NULL = new Uint8Array([0x05, 0x00]).buffer;

const toArrayBuffer = (b: Uint8Array): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/**
 * The hashes that identify a certificate to an OCSP responder (RFC 6960 §4.1.1): of the
 * issuer's Name and of its public key bits, with `digest`.
 */
export function certIdHashes(
  issuer: ParsedCertificate,
  digest: string,
): { nameHash: Buffer; keyHash: Buffer } {
  return {
    nameHash: createHash(digest).update(issuer.parts.subject).digest(),
    keyHash: createHash(digest).update(issuer.parts.publicKey).digest(),
  };
}

/**
 * A DER OCSPRequest for `cert` (RFC 6960 §4.1) with a SHA-1 CertID, which every responder
 * accepts, unsigned and without a nonce: many responders serve cached answers and ignore
 * nonces, so freshness is judged from the answer's thisUpdate/nextUpdate instead.
 */
export function buildOcspRequest(cert: ParsedCertificate, issuer: ParsedCertificate): Uint8Array {
  const { nameHash, keyHash } = certIdHashes(issuer, 'sha1');
  const certId = new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA1, parameters: DER_NULL }),
    issuerNameHash: new OctetString(nameHash),
    issuerKeyHash: new OctetString(keyHash),
    serialNumber: toArrayBuffer(cert.parts.serial),
  });
  const request = new OCSPRequest({
    tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: certId })] }),
  });
  return new Uint8Array(AsnConvert.serialize(request));
}
