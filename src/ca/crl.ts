// The CRL (RFC 5280 §5): v2, signed by the intermediate, with the authority key id and a
// CRL number, one entry per revoked certificate with its reason (none for `unspecified`,
// as §5.3.1 recommends). Written with the DER writer: a CRL of 10 000 entries takes
// milliseconds, not the seconds asn1js would spend.
import type { Issuer } from './certificate-builder.ts';
import {
  enumerated,
  explicit,
  extension,
  integer,
  sequence,
  time,
  unsignedInteger,
} from './der-writer.ts';
import { EXTENSION_OID, authorityKeyIdentifier } from './extensions.ts';
import { signed } from './signer.ts';
import type { RevokedEntry } from './store.ts';
import { REVOCATION_REASONS } from './types.ts';

export interface CrlContents {
  readonly number: bigint;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly revoked: readonly RevokedEntry[];
}

const V2 = integer(1);

function entry(revoked: RevokedEntry): Uint8Array {
  const serial = unsignedInteger(Buffer.from(revoked.serial, 'hex'));
  const date = time(revoked.revokedAt);
  if (revoked.reason === 'unspecified') return sequence(serial, date);
  const reason = extension({
    oid: EXTENSION_OID.crlReason,
    critical: false,
    value: enumerated(REVOCATION_REASONS[revoked.reason]),
  });
  return sequence(serial, date, sequence(reason));
}

/** A signed CRL, DER. */
export function buildCrl(issuer: Issuer, contents: CrlContents): Uint8Array {
  const extensions = sequence(
    extension(authorityKeyIdentifier(issuer.keyId)),
    extension({ oid: EXTENSION_OID.crlNumber, critical: false, value: integer(contents.number) }),
  );
  const tbs = sequence(
    V2,
    issuer.signer.algorithm,
    issuer.name,
    time(contents.thisUpdate),
    time(contents.nextUpdate),
    // revokedCertificates is OPTIONAL: absent, not empty, when nothing is revoked.
    ...(contents.revoked.length === 0 ? [] : [sequence(...contents.revoked.map(entry))]),
    explicit(0, extensions),
  );
  return signed(issuer.signer, tbs);
}
