// PKCS#10 requests (RFC 2986), from ACME finalize or `ca issue --csr`: capped, parsed,
// self-signature verified over the exact bytes received, and reduced to what the CA
// uses — the public key and the names (SAN from the extensionRequest, plus the CN when it
// is a DNS name or an IP address, as ACME clients put the first name there). Everything
// else a CSR asks for is ignored: the CA decides the extensions. Failures: WT_ERR_CA_CSR.
import { type KeyObject, createPublicKey } from 'node:crypto';
import { isIP } from 'node:net';
import { CertificationRequest } from '@peculiar/asn1-csr';
import { ExtensionRequest, id_pkcs9_at_extensionRequest } from '@peculiar/asn1-pkcs9';
import { AsnParser } from '@peculiar/asn1-schema';
import { GeneralNames, id_ce_subjectAltName } from '@peculiar/asn1-x509';
import { WiretightError } from '../errors.ts';
import { TAG, bitStringBytes, derElement, derSequence, expectTag } from '../pki/der.ts';
import { commonNames } from '../pki/extensions.ts';
import { pemBlocks } from '../pki/pem.ts';
import {
  describeSignatureAlgorithm,
  isWeakHash,
  verifySignature,
} from '../pki/signature-algorithms.ts';
import { normalizeIdentifiers } from './identifiers.ts';
import { type EncodedPublicKey } from './keys.ts';
import type { Identifier } from './types.ts';

/** A CSR is a key and a few names; 64 KiB is far beyond any real one. */
export const MAX_CSR_BYTES = 64 * 1024;

export interface ParsedCsr {
  readonly publicKey: KeyObject;
  readonly subjectKey: EncodedPublicKey;
  /** Canonical, without duplicates: SAN entries, then the CN when it is a name. */
  readonly identifiers: readonly Identifier[];
  /** The subject CN, canonical, when it is one of the identifiers. */
  readonly commonName?: string;
}

const bad = (why: string, cause?: unknown): WiretightError =>
  new WiretightError(
    'WT_ERR_CA_CSR',
    `the CSR ${why}`,
    cause === undefined ? undefined : { cause },
  );

/** The SAN entries of the extensionRequest attribute, as identifiers (not yet canonical). */
function requestedNames(csr: CertificationRequest): Identifier[] {
  const attributes = csr.certificationRequestInfo.attributes ?? [];
  const requests = attributes.filter((a) => a.type === id_pkcs9_at_extensionRequest);
  if (
    requests.length > 1 ||
    requests[0]?.values.length === 0 ||
    (requests[0]?.values.length ?? 0) > 1
  ) {
    throw bad('has more or fewer than one extensionRequest value');
  }
  const value = requests[0]?.values[0];
  if (value === undefined) return [];
  const extensions = AsnParser.parse(value, ExtensionRequest);
  const sans = extensions.filter((e) => e.extnID === id_ce_subjectAltName);
  if (sans.length > 1) throw bad('asks for subjectAltName twice');
  const san = sans[0];
  if (san === undefined) return [];
  const names = AsnParser.parse(san.extnValue.buffer, GeneralNames);
  return names.map((name): Identifier => {
    if (name.dNSName !== undefined) return { type: 'dns', value: name.dNSName };
    if (name.iPAddress !== undefined) return { type: 'ip', value: name.iPAddress };
    if (name.uniformResourceIdentifier !== undefined) {
      return { type: 'uri', value: name.uniformResourceIdentifier };
    }
    throw bad('asks for a name other than a DNS name, an IP address or a URI');
  });
}

/** The subject CN as an identifier when it is a DNS name or an IP address; else nothing. */
function commonNameIdentifier(subject: Uint8Array): Identifier | undefined {
  const cns = commonNames(subject);
  if (cns.length !== 1) return undefined;
  const cn = cns[0] as string;
  if (isIP(cn) !== 0) return { type: 'ip', value: cn };
  try {
    return normalizeIdentifiers([{ type: 'dns', value: cn }])[0];
  } catch {
    return undefined;
  }
}

/** Reads and verifies a DER CSR. */
export function parseCsr(der: Uint8Array): ParsedCsr {
  if (!(der instanceof Uint8Array)) throw new TypeError('a CSR is DER bytes (Uint8Array)');
  if (der.length > MAX_CSR_BYTES) throw bad(`is larger than ${MAX_CSR_BYTES} bytes`);
  // Every structural read happens here, so any malformation is this CSR's error (a
  // WT_ERR_CA_CSR), never a decode error of the DER helpers leaking out.
  let info, alg, signatureBytes, keyBits, spki, subject, csr: CertificationRequest;
  try {
    let algorithm, signature;
    [info, algorithm, signature] = derSequence(
      derElement(der, 'CertificationRequest'),
      'CertificationRequest',
    );
    const infoFields = derSequence(info, 'certificationRequestInfo');
    subject = expectTag(infoFields[1], TAG.SEQUENCE, 'subject').der;
    spki = expectTag(infoFields[2], TAG.SEQUENCE, 'subjectPKInfo').der;
    alg = describeSignatureAlgorithm(expectTag(algorithm, TAG.SEQUENCE, 'signatureAlgorithm').der);
    signatureBytes = bitStringBytes(signature, 'signature');
    const [, bits] = derSequence(derElement(spki, 'SubjectPublicKeyInfo'), 'SubjectPublicKeyInfo');
    keyBits = bitStringBytes(bits, 'subjectPublicKey');
    csr = AsnParser.parse(der, CertificationRequest);
  } catch (cause) {
    throw bad('is not a valid PKCS#10 structure', cause);
  }
  if (csr.certificationRequestInfo.version !== 0) throw bad('is not version 1 (0)');
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (cause) {
    throw bad('holds a public key that cannot be read', cause);
  }
  if (isWeakHash(alg.hash)) throw bad(`is signed with ${alg.name}, a broken digest`);
  const verdict = verifySignature(
    alg,
    (info as { der: Uint8Array }).der,
    signatureBytes,
    publicKey,
  );
  if (verdict === 'unsupported')
    throw bad(`is signed with ${alg.name}, which the CA does not know`);
  if (verdict !== 'valid') throw bad('signature does not verify with its own public key');
  let identifiers: Identifier[];
  let cn: Identifier | undefined;
  try {
    cn = commonNameIdentifier(subject);
    const names = [...requestedNames(csr), ...(cn === undefined ? [] : [cn])];
    if (names.length === 0) throw bad('names nothing: no subjectAltName and no DNS name as CN');
    identifiers = normalizeIdentifiers(names);
  } catch (err) {
    if (err instanceof WiretightError && err.code === 'WT_ERR_CA_CSR') throw err;
    throw bad(`asks for a name that is not valid: ${(err as Error).message}`, err);
  }
  return {
    publicKey,
    subjectKey: { spki, keyBits },
    identifiers,
    ...(cn === undefined ? {} : { commonName: normalizeIdentifiers([cn])[0]?.value as string }),
  };
}

/** The DER of a CSR given as PEM (CERTIFICATE REQUEST, or the older NEW CERTIFICATE REQUEST) or DER. */
export function csrFromFile(bytes: Uint8Array, file: string): Uint8Array {
  if (bytes[0] === 0x30) return bytes;
  const text = Buffer.from(bytes).toString('latin1');
  let blocks;
  try {
    blocks = pemBlocks(text);
  } catch (cause) {
    throw new WiretightError('WT_ERR_CA_CSR', `${file}: not a PEM or DER certificate request`, {
      cause,
    });
  }
  const block = blocks.find(
    (b) => b.label === 'CERTIFICATE REQUEST' || b.label === 'NEW CERTIFICATE REQUEST',
  );
  if (block === undefined) {
    throw new WiretightError('WT_ERR_CA_CSR', `${file} holds no CERTIFICATE REQUEST block`);
  }
  return block.der;
}
