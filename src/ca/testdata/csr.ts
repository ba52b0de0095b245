// PKCS#10 requests built in the tests, with every signature scheme a client may use and the
// malformations a hostile one might send. Real openssl-made CSRs are tested in
// test/integration/ca-openssl.test.ts.
import { type KeyObject, constants, sign } from 'node:crypto';
import {
  bitString,
  derNull,
  explicit,
  extension,
  integer,
  oid,
  sequence,
  set,
  tlv,
} from '../der-writer.ts';
import { EXTENSION_OID } from '../extensions.ts';
import { encodePublicKey } from '../keys.ts';
import { encodeGeneralName, encodeName } from '../names.ts';
import type { Identifier } from '../types.ts';

export type CsrSignature = 'default' | 'rsa-pss' | 'sha1';

export interface CsrSpec {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
  readonly names?: readonly Identifier[];
  readonly commonName?: string;
  readonly signature?: CsrSignature;
  /** Raw GeneralName elements added to the SAN (an email address, say). */
  readonly extraGeneralNames?: readonly Uint8Array[];
  readonly version?: number;
}

const SHA256 = sequence(oid('2.16.840.1.101.3.4.2.1'), derNull());

function algorithmFor(
  key: KeyObject,
  signature: CsrSignature,
): { der: Uint8Array; hash: string | null; pss: boolean } {
  const type = key.asymmetricKeyType;
  if (type === 'ed25519') return { der: sequence(oid('1.3.101.112')), hash: null, pss: false };
  if (type === 'ec')
    return { der: sequence(oid('1.2.840.10045.4.3.2')), hash: 'sha256', pss: false };
  if (signature === 'sha1')
    return { der: sequence(oid('1.2.840.113549.1.1.5'), derNull()), hash: 'sha1', pss: false };
  if (signature === 'rsa-pss') {
    const params = sequence(
      explicit(0, SHA256),
      explicit(1, sequence(oid('1.2.840.113549.1.1.8'), SHA256)),
      explicit(2, integer(32)),
    );
    return { der: sequence(oid('1.2.840.113549.1.1.10'), params), hash: 'sha256', pss: true };
  }
  return { der: sequence(oid('1.2.840.113549.1.1.11'), derNull()), hash: 'sha256', pss: false };
}

/** The CertificationRequestInfo of `spec`, and the whole signed CSR. */
export function makeCsr(spec: CsrSpec): Uint8Array {
  const names = spec.names ?? [];
  const san = sequence(...names.map(encodeGeneralName), ...(spec.extraGeneralNames ?? []));
  const attributes =
    names.length === 0 && (spec.extraGeneralNames ?? []).length === 0
      ? explicit(0)
      : explicit(
          0,
          sequence(
            oid('1.2.840.113549.1.9.14'),
            set(
              sequence(
                extension({ oid: EXTENSION_OID.subjectAltName, critical: false, value: san }),
              ),
            ),
          ),
        );
  const info = sequence(
    integer(spec.version ?? 0),
    encodeName(spec.commonName === undefined ? {} : { commonName: spec.commonName }),
    encodePublicKey(spec.publicKey).spki,
    attributes,
  );
  const algorithm = algorithmFor(spec.privateKey, spec.signature ?? 'default');
  const signature = sign(
    algorithm.hash,
    info,
    algorithm.pss
      ? { key: spec.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
      : spec.privateKey,
  );
  return sequence(info, algorithm.der, bitString(signature));
}

/** An rfc822Name GeneralName, which the CA refuses to issue. */
export const emailName = (address: string): Uint8Array => tlv(0x81, Buffer.from(address, 'latin1'));
