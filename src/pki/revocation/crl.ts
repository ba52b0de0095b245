import { bytesEqual } from '../../core/bytes.ts';
import {
  TAG,
  type Tlv,
  bitStringBytes,
  contextTag,
  decodeSmallInteger,
  decodeTime,
  derChildren,
  derElement,
  derSequence,
  expectTag,
  integerMagnitude,
} from '../der.ts';
import { decodeExtensionList, explicitContent } from '../certificate-parts.ts';
import type { ParsedCertificate } from '../parsed-certificate.ts';
import { pemBlocks } from '../pem.ts';
import { describeSignatureAlgorithm, verifySignature } from '../signature-algorithms.ts';
import {
  type RevocationFacts,
  crlReasonName,
  freshnessProblem,
  unavailable,
} from './revocation-facts.ts';

export interface CrlCheck {
  readonly cert: ParsedCertificate;
  readonly issuer: ParsedCertificate;
  readonly now: Date;
  readonly url?: string;
}

const REASON_CODE = '2.5.29.21';
/** issuingDistributionPoint: critical by rule, and only narrows what the CRL covers. */
const ISSUING_DISTRIBUTION_POINT = '2.5.29.28';

/** The CRL's DER: as served (DER), or the first `X509 CRL` block of a PEM answer. */
function crlDer(body: Uint8Array): Uint8Array {
  if (body[0] === TAG.SEQUENCE) return body;
  const block = pemBlocks(Buffer.from(body).toString('latin1')).find((b) => b.label === 'X509 CRL');
  return block?.der ?? body;
}

/** The revoked entry for `serial`, walking the list without decoding the other entries. */
function findEntry(revoked: Tlv | undefined, serial: Uint8Array): Tlv[] | undefined {
  if (revoked === undefined) return undefined;
  for (const entry of derSequence(revoked, 'revokedCertificates')) {
    const fields = derChildren(expectTag(entry, TAG.SEQUENCE, 'revokedCertificate').body, 'entry');
    const entrySerial = expectTag(fields[0], TAG.INTEGER, 'userCertificate').body;
    if (bytesEqual(integerMagnitude(entrySerial), serial)) return fields;
  }
  return undefined;
}

function judge(der: Uint8Array, check: CrlCheck): RevocationFacts {
  const fail = (why: string): RevocationFacts => unavailable('crl', why, check.url);
  const [tbsTlv, algorithmTlv, signatureTlv] = derSequence(
    derElement(der, 'CertificateList'),
    'CertificateList',
  );
  const tbs = derSequence(tbsTlv, 'tbsCertList');
  let i = tbs[0]?.tag === TAG.INTEGER ? 1 : 0; // version is optional
  i++; // the inner signature AlgorithmIdentifier repeats the outer one
  const issuer = expectTag(tbs[i++], TAG.SEQUENCE, 'issuer').der;
  const thisUpdate = decodeTime(tbs[i++], 'thisUpdate');
  const nextTlv = tbs[i];
  const nextUpdate =
    nextTlv?.tag === TAG.UTC_TIME || nextTlv?.tag === TAG.GENERALIZED_TIME
      ? decodeTime(tbs[i++], 'nextUpdate')
      : undefined;
  const revoked = tbs[i]?.tag === TAG.SEQUENCE ? tbs[i++] : undefined;
  const crlExtensions = tbs[i]?.tag === contextTag(0) ? tbs[i] : undefined;

  if (!bytesEqual(issuer, check.cert.parts.issuer)) {
    return fail('the CRL is not issued by the certificate’s issuer (indirect CRLs are not read)');
  }
  const algorithm = describeSignatureAlgorithm(
    expectTag(algorithmTlv, TAG.SEQUENCE, 'signatureAlgorithm').der,
  );
  const signed = verifySignature(
    algorithm,
    expectTag(tbsTlv, TAG.SEQUENCE, 'tbsCertList').der,
    bitStringBytes(signatureTlv, 'signature'),
    check.issuer.x509.publicKey,
  );
  if (signed === 'unsupported') return fail(`unsupported signature algorithm ${algorithm.name}`);
  if (signed === 'invalid') return fail('the CRL signature does not verify with the issuer’s key');
  const stale = freshnessProblem(thisUpdate, nextUpdate, check.now);
  if (stale !== undefined) return fail(stale);
  const unknownCritical = decodeExtensionList(explicitContent(crlExtensions, 'crlExtensions')).find(
    (e) => e.critical && e.oid !== ISSUING_DISTRIBUTION_POINT,
  );
  if (unknownCritical !== undefined) {
    // RFC 5280 §5.2: a CRL with a critical extension the reader does not know (a delta
    // CRL indicator, say) must not be used.
    return fail(
      `the CRL has a critical extension wiretight does not read (${unknownCritical.oid})`,
    );
  }
  const base = {
    source: 'crl' as const,
    ...(check.url === undefined ? {} : { url: check.url }),
    thisUpdate: thisUpdate.toISOString(),
    ...(nextUpdate === undefined ? {} : { nextUpdate: nextUpdate.toISOString() }),
  };
  const entry = findEntry(revoked, integerMagnitude(check.cert.parts.serial));
  if (entry === undefined) return { ...base, status: 'good' };
  const reasonExt = decodeExtensionList(entry[2]).find((e) => e.oid === REASON_CODE);
  const reason =
    reasonExt === undefined
      ? undefined
      : crlReasonName(
          decodeSmallInteger(
            expectTag(derElement(reasonExt.value, 'reasonCode'), TAG.ENUMERATED, 'CRLReason').body,
            'CRLReason',
          ),
        );
  return {
    ...base,
    status: 'revoked',
    revokedAt: decodeTime(entry[1], 'revocationDate').toISOString(),
    ...(reason === undefined ? {} : { reason }),
  };
}

/**
 * Reads a CRL (DER or PEM) and says whether it lists `check.cert`: the CRL must come from
 * the certificate's issuer, carry its valid signature and be current. A CRL that fails
 * any of these, or cannot be read, is an `unavailable` fact with why.
 */
export function checkCrl(body: Uint8Array, check: CrlCheck): RevocationFacts {
  try {
    return judge(crlDer(body), check);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return unavailable('crl', `malformed CRL (${why})`, check.url);
  }
}
