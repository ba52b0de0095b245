// The OCSP responder's logic (RFC 6960): a DER OCSPRequest in, a DER OCSPResponse out,
// signed by the delegated responder. Any input gets an answer — garbage is
// malformedRequest, a question about another issuer's certificate is unauthorized —
// and nothing here throws for what a client sent.
import { createHash } from 'node:crypto';
import {
  CertStatus,
  KeyHash,
  OCSPRequest,
  OCSPResponseStatus,
  ResponderID,
  ResponseData,
  RevokedInfo,
  SingleResponse,
  id_pkix_ocsp_basic,
  id_pkix_ocsp_nonce,
} from '@peculiar/asn1-ocsp';
import { AsnConvert, AsnParser, OctetString } from '@peculiar/asn1-schema';
import { CRLReason, Extension } from '@peculiar/asn1-x509';
import { bytesEqual } from '../core/bytes.ts';
import { TAG, derElement, integerMagnitude } from '../pki/der.ts';
import { digestForOid } from '../pki/signature-algorithms.ts';
import { type Issuer, wholeSeconds } from './certificate-builder.ts';
import { bitString, enumerated, explicit, octetString, oid, sequence } from './der-writer.ts';
import type { Signer } from './signer.ts';
import { REVOCATION_REASONS, type CertificateRecord } from './types.ts';

export type OcspStatus = 'good' | 'revoked' | 'unknown' | 'malformed' | 'unauthorized';

export interface OcspAnswer {
  readonly der: Uint8Array;
  readonly status: OcspStatus;
}

/** An OCSP request is a few hundred bytes; anything near this is not one. */
export const MAX_OCSP_REQUEST_BYTES = 16 * 1024;
/** Certificates asked about in one request. */
export const MAX_OCSP_QUESTIONS = 16;
/** RFC 8954 §2.1: a nonce of 1 to 32 octets; longer ones are malformed requests. */
const MAX_NONCE_BYTES = 32;

export interface OcspResponder {
  readonly signer: Signer;
  /** The responder's certificate, DER: sent in every answer so clients can check it. */
  readonly certificate: Uint8Array;
  /** SHA-1 of its public key bits: the responderID byKey. */
  readonly keyHash: Uint8Array;
}

export interface OcspContext {
  /** The CA whose certificates this responder answers for. */
  readonly issuer: Issuer;
  readonly responder: OcspResponder;
  readonly lookup: (serial: string) => Promise<CertificateRecord | undefined>;
  readonly now: Date;
  /** nextUpdate − thisUpdate of each answer. */
  readonly validitySeconds: number;
}

const statusOnly = (status: OCSPResponseStatus): Uint8Array => sequence(enumerated(status));

const ANSWERS = {
  malformed: statusOnly(OCSPResponseStatus.malformedRequest),
  unauthorized: statusOnly(OCSPResponseStatus.unauthorized),
} as const;

/** Issuer name and key hashes per digest, computed once per issuer. */
const hashCache = new WeakMap<Issuer, Map<string, { name: Uint8Array; key: Uint8Array }>>();

function issuerHashes(issuer: Issuer, digest: string): { name: Uint8Array; key: Uint8Array } {
  let byDigest = hashCache.get(issuer);
  if (byDigest === undefined) hashCache.set(issuer, (byDigest = new Map()));
  let hashes = byDigest.get(digest);
  if (hashes === undefined) {
    hashes = {
      name: createHash(digest).update(issuer.name).digest(),
      key: createHash(digest).update(issuer.keyBits).digest(),
    };
    byDigest.set(digest, hashes);
  }
  return hashes;
}

function parseRequest(der: Uint8Array): OCSPRequest | undefined {
  if (!(der instanceof Uint8Array) || der.length === 0 || der.length > MAX_OCSP_REQUEST_BYTES) {
    return undefined;
  }
  try {
    // One whole DER element, no trailing bytes, then the schema.
    derElement(der, 'OCSPRequest');
    const request = AsnParser.parse(der, OCSPRequest);
    const count = request.tbsRequest.requestList.length;
    return count >= 1 && count <= MAX_OCSP_QUESTIONS ? request : undefined;
  } catch {
    return undefined;
  }
}

/** The nonce extension to echo, undefined when absent, 'bad' when out of RFC 8954's bounds. */
function nonceOf(request: OCSPRequest): Extension | undefined | 'bad' {
  const ext = request.tbsRequest.requestExtensions?.find((e) => e.extnID === id_pkix_ocsp_nonce);
  if (ext === undefined) return undefined;
  const value = new Uint8Array(ext.extnValue.buffer);
  // RFC 8954 wraps the nonce in an OCTET STRING; older clients send it bare.
  let nonce: Uint8Array = value;
  try {
    const inner = derElement(value, 'nonce');
    if (inner.tag === TAG.OCTET_STRING) nonce = inner.body;
  } catch {
    // bare nonce
  }
  if (nonce.length === 0 || nonce.length > MAX_NONCE_BYTES) return 'bad';
  return new Extension({ extnID: id_pkix_ocsp_nonce, extnValue: new OctetString(value) });
}

const WORST: readonly OcspStatus[] = ['revoked', 'unknown', 'good'];

function certStatus(record: CertificateRecord | undefined): {
  status: OcspStatus;
  value: CertStatus;
} {
  if (record === undefined) return { status: 'unknown', value: new CertStatus({ unknown: null }) };
  if (record.status !== 'revoked' || record.revokedAt === null) {
    return { status: 'good', value: new CertStatus({ good: null }) };
  }
  const reason = record.revocationReason ?? 'unspecified';
  const revoked = new RevokedInfo({
    revocationTime: wholeSeconds(record.revokedAt.getTime()),
    ...(reason === 'unspecified'
      ? {}
      : { revocationReason: new CRLReason(REVOCATION_REASONS[reason]) }),
  });
  return { status: 'revoked', value: new CertStatus({ revoked }) };
}

/** Answers one DER OCSPRequest. Never throws for what the request holds. */
export async function answerOcsp(der: Uint8Array, ctx: OcspContext): Promise<OcspAnswer> {
  const request = parseRequest(der);
  if (request === undefined) return { der: ANSWERS.malformed, status: 'malformed' };
  const nonce = nonceOf(request);
  if (nonce === 'bad') return { der: ANSWERS.malformed, status: 'malformed' };
  const questions = request.tbsRequest.requestList.map((r) => r.reqCert);
  for (const certId of questions) {
    const digest = digestForOid(certId.hashAlgorithm.algorithm);
    const ours = digest === undefined ? undefined : issuerHashes(ctx.issuer, digest);
    if (
      ours === undefined ||
      !bytesEqual(new Uint8Array(certId.issuerNameHash.buffer), ours.name) ||
      !bytesEqual(new Uint8Array(certId.issuerKeyHash.buffer), ours.key)
    ) {
      return { der: ANSWERS.unauthorized, status: 'unauthorized' };
    }
  }
  const thisUpdate = wholeSeconds(ctx.now.getTime());
  const nextUpdate = new Date(thisUpdate.getTime() + ctx.validitySeconds * 1000);
  const statuses: OcspStatus[] = [];
  const responses: SingleResponse[] = [];
  for (const certId of questions) {
    const serial = Buffer.from(integerMagnitude(new Uint8Array(certId.serialNumber))).toString(
      'hex',
    );
    const { status, value } = certStatus(await ctx.lookup(serial));
    statuses.push(status);
    responses.push(
      new SingleResponse({ certID: certId, certStatus: value, thisUpdate, nextUpdate }),
    );
  }
  const data = new ResponseData({
    responderID: new ResponderID({ byKey: new KeyHash(ctx.responder.keyHash) }),
    producedAt: thisUpdate,
    responses,
    ...(nonce === undefined ? {} : { responseExtensions: [nonce] }),
  });
  const tbs = new Uint8Array(AsnConvert.serialize(data));
  // Framed by hand so the responder certificate goes out byte for byte as it was signed.
  const basic = sequence(
    tbs,
    ctx.responder.signer.algorithm,
    bitString(ctx.responder.signer.sign(tbs)),
    explicit(0, sequence(ctx.responder.certificate)),
  );
  const response = sequence(
    enumerated(OCSPResponseStatus.successful),
    explicit(0, sequence(oid(id_pkix_ocsp_basic), octetString(basic))),
  );
  const status = WORST.find((s) => statuses.includes(s)) ?? 'good';
  return { der: response, status };
}
