import {
  BasicOCSPResponse,
  OCSPResponse,
  type SingleResponse,
  id_kp_OCSPSigning,
  id_pkix_ocsp_basic,
} from '@peculiar/asn1-ocsp';
import { AsnParser } from '@peculiar/asn1-schema';
import { bytesEqual } from '../../core/bytes.ts';
import { findExtension } from '../certificate-parts.ts';
import {
  TAG,
  type Tlv,
  bitStringBytes,
  contextTag,
  derChildren,
  derElement,
  derSequence,
  expectTag,
  integerMagnitude,
} from '../der.ts';
import { OID, decodeExtKeyUsage } from '../extensions.ts';
import { IssuanceChecks } from '../issuance.ts';
import { type ParsedCertificate, parseCertificate } from '../parsed-certificate.ts';
import {
  describeSignatureAlgorithm,
  digestForOid,
  verifySignature,
} from '../signature-algorithms.ts';
import { judgeValidity } from '../validity.ts';
import { certIdHashes } from './ocsp-request.ts';
import {
  type RevocationFacts,
  crlReasonName,
  freshnessProblem,
  unavailable,
} from './revocation-facts.ts';

/** OCSPResponseStatus names (RFC 6960 §4.2.1); 4 is unused. */
const RESPONSE_STATUS: readonly (string | undefined)[] = [
  'successful',
  'malformedRequest',
  'internalError',
  'tryLater',
  undefined,
  'sigRequired',
  'unauthorized',
];

/** Certificates an answer may carry that are worth checking as its signer. */
const MAX_RESPONDER_CERTS = 4;

export interface OcspCheck {
  readonly cert: ParsedCertificate;
  readonly issuer: ParsedCertificate;
  readonly now: Date;
  readonly source: 'ocsp' | 'ocsp-stapled';
  readonly url?: string;
}

/** Why an answer cannot be used: a sentence for the report. */
type Problem = { readonly problem: string };

const isProblem = (x: unknown): x is Problem =>
  typeof x === 'object' && x !== null && 'problem' in x;

/** The SingleResponse about `cert`, matching CertID hashes with the answer's own digest. */
function answerFor(
  responses: readonly SingleResponse[],
  check: OcspCheck,
): SingleResponse | Problem {
  const serial = integerMagnitude(check.cert.parts.serial);
  for (const r of responses) {
    const digest = digestForOid(r.certID.hashAlgorithm.algorithm);
    if (digest === undefined) continue;
    const { nameHash, keyHash } = certIdHashes(check.issuer, digest);
    if (
      bytesEqual(new Uint8Array(r.certID.issuerNameHash.buffer), nameHash) &&
      bytesEqual(new Uint8Array(r.certID.issuerKeyHash.buffer), keyHash) &&
      bytesEqual(integerMagnitude(new Uint8Array(r.certID.serialNumber)), serial)
    ) {
      return r;
    }
  }
  return { problem: 'the answer says nothing about this certificate' };
}

/** The DER certificates of BasicOCSPResponse.certs ([0] EXPLICIT SEQUENCE OF Certificate). */
function responderCertificates(fields: readonly Tlv[]): Uint8Array[] {
  const certs = fields.find((f) => f.tag === contextTag(0));
  if (certs === undefined) return [];
  const [list] = derChildren(certs.body, 'certs');
  return derSequence(list, 'certs')
    .slice(0, MAX_RESPONDER_CERTS)
    .map((c) => c.der);
}

/** A delegated responder: issued by the issuer for OCSP signing, valid now. */
function isAuthorisedResponder(responder: ParsedCertificate, check: OcspCheck): boolean {
  if (new IssuanceChecks(1).check(responder, check.issuer) !== 'issued') return false;
  const eku = findExtension(responder.parts, OID.extKeyUsage);
  if (eku === undefined || !decodeExtKeyUsage(eku.value).includes(id_kp_OCSPSigning)) return false;
  return judgeValidity(responder.facts, check.now).status === 'valid';
}

/**
 * Who signed: the issuer itself, or a certificate in the answer that the issuer issued
 * with id-kp-OCSPSigning and that is valid now (RFC 6960 §4.2.2.2). Anything else, even a
 * valid signature by some other key, is not an answer about this certificate. Reads the
 * exact bytes received: the signature covers them, not a re-encoding.
 */
function verifySigner(basicDer: Uint8Array, check: OcspCheck): 'issuer' | 'delegated' | Problem {
  const fields = derSequence(derElement(basicDer, 'BasicOCSPResponse'), 'BasicOCSPResponse');
  const tbs = expectTag(fields[0], TAG.SEQUENCE, 'tbsResponseData').der;
  const algorithm = describeSignatureAlgorithm(
    expectTag(fields[1], TAG.SEQUENCE, 'signatureAlgorithm').der,
  );
  const signature = bitStringBytes(fields[2], 'signature');
  const byIssuer = verifySignature(algorithm, tbs, signature, check.issuer.x509.publicKey);
  if (byIssuer === 'valid') return 'issuer';
  if (byIssuer === 'unsupported') {
    return { problem: `unsupported signature algorithm ${algorithm.name}` };
  }
  for (const der of responderCertificates(fields)) {
    let responder: ParsedCertificate;
    try {
      responder = parseCertificate(der);
    } catch {
      continue;
    }
    if (
      isAuthorisedResponder(responder, check) &&
      verifySignature(algorithm, tbs, signature, responder.x509.publicKey) === 'valid'
    ) {
      return 'delegated';
    }
  }
  return { problem: 'the signature is neither the issuer’s nor an authorised responder’s' };
}

function judge(der: Uint8Array, check: OcspCheck): RevocationFacts {
  const fail = (why: string): RevocationFacts => unavailable(check.source, why, check.url);
  const response = AsnParser.parse(der, OCSPResponse);
  const status = response.responseStatus as number;
  if (status !== 0) {
    return fail(`the responder answered ${RESPONSE_STATUS[status] ?? `status ${status}`}`);
  }
  const bytes = response.responseBytes;
  if (bytes === undefined) return fail('a successful answer without a response');
  if (bytes.responseType !== id_pkix_ocsp_basic) {
    return fail(`unsupported response type ${bytes.responseType}`);
  }
  const basicDer = new Uint8Array(bytes.response.buffer);
  const basic = AsnParser.parse(basicDer, BasicOCSPResponse);
  const signer = verifySigner(basicDer, check);
  if (isProblem(signer)) return fail(signer.problem);
  const single = answerFor(basic.tbsResponseData.responses, check);
  if (isProblem(single)) return fail(single.problem);
  const stale = freshnessProblem(single.thisUpdate, single.nextUpdate, check.now);
  if (stale !== undefined) return fail(stale);
  const base = {
    source: check.source,
    ...(check.url === undefined ? {} : { url: check.url }),
    thisUpdate: single.thisUpdate.toISOString(),
    ...(single.nextUpdate === undefined ? {} : { nextUpdate: single.nextUpdate.toISOString() }),
    signer,
  };
  const { certStatus } = single;
  if (certStatus.revoked !== undefined) {
    const reason = certStatus.revoked.revocationReason?.reason;
    return {
      ...base,
      status: 'revoked',
      revokedAt: certStatus.revoked.revocationTime.toISOString(),
      ...(reason === undefined ? {} : { reason: crlReasonName(reason) }),
    };
  }
  return { ...base, status: certStatus.good !== undefined ? 'good' : 'unknown' };
}

/**
 * Reads and verifies an OCSP answer about `check.cert` (DER OCSPResponse, fetched or
 * stapled): the signer must be the issuer or its delegated responder, the answer must be
 * about this certificate and current. Any failure is an `unavailable` fact with why.
 */
export function checkOcspResponse(der: Uint8Array, check: OcspCheck): RevocationFacts {
  try {
    return judge(der, check);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return unavailable(check.source, `malformed OCSP answer (${why})`, check.url);
  }
}
