import { X509Certificate, constants, publicEncrypt } from 'node:crypto';
import { concatBytes } from '../core/bytes.ts';
import { isWiretightError } from '../errors.ts';
import { encodeAlert } from '../wire/alert.ts';
import { parseCertificateList } from '../wire/certificate.ts';
import { changeCipherSpecRecord } from '../wire/change-cipher-spec.ts';
import { rsaClientKeyExchangeMessage } from '../wire/client-key-exchange.ts';
import { HANDSHAKE_TYPE, encodeHandshake } from '../wire/handshake.ts';
import { CONTENT_TYPE, encodeRecords } from '../wire/record.ts';
import { cipherSuite, suiteIdHex } from '../wire/registry/cipher-suites.ts';
import {
  MIN_MODULUS_BYTES,
  PREMASTER_RANDOM_LENGTH,
  type PremasterVariant,
  premasterBlock,
} from '../wire/rsa-premaster.ts';
import type { FollowUpPlan, ServerFlight } from './followup-exchange.ts';

/**
 * The premaster's random part, the same on every connection: the five ROBOT blocks must
 * differ only where their padding does (nonzero bytes, as the blocks require).
 */
const PREMASTER_RANDOM = new Uint8Array(PREMASTER_RANDOM_LENGTH).map((_, i) => 0x21 + i);

/**
 * Stands in for the encrypted Finished: no key can make it verify, so every block ends in a
 * failure the server must report somehow, and the five connections differ only in the block.
 */
export const GARBAGE_FINISHED = new Uint8Array(80).fill(0xa5);

/**
 * ClientKeyExchange with the ROBOT block `variant` encrypted under the server's RSA key (raw
 * RSA: the block is already padded, or deliberately mispadded), then ChangeCipherSpec and a
 * garbage Finished, as one write. A requested client certificate is answered with an empty
 * one (TLS) or a no_certificate warning (SSLv3), as a client without one would.
 */
export function planRsaKeyExchange(
  variant: PremasterVariant,
  flight: ServerFlight,
  clientVersion: number,
): FollowUpPlan {
  const suite = cipherSuite(flight.facts.cipherSuite);
  if (suite?.kx !== 'RSA' || suite.export) {
    return {
      declined: `the server chose ${suite?.name ?? suiteIdHex(flight.facts.cipherSuite)}, not a plain RSA key exchange`,
    };
  }
  const key = serverRsaKey(flight);
  if (typeof key === 'string') return { declined: key };
  const block = premasterBlock(variant, key.modulus, clientVersion, PREMASTER_RANDOM);
  const encrypted = new Uint8Array(
    publicEncrypt({ key: key.certificate.publicKey, padding: constants.RSA_NO_PADDING }, block),
  );
  const version = flight.facts.version;
  const requested = flight.messages.some((m) => m.type === HANDSHAKE_TYPE.certificate_request);
  const parts: Uint8Array[] = [];
  if (requested && version === 0x0300) {
    parts.push(encodeRecords(CONTENT_TYPE.alert, version, encodeAlert(1, 41)));
  }
  const emptyCertificate = encodeHandshake(HANDSHAKE_TYPE.certificate, new Uint8Array(3));
  const handshake = concatBytes([
    ...(requested && version !== 0x0300 ? [emptyCertificate] : []),
    rsaClientKeyExchangeMessage(encrypted, version),
  ]);
  parts.push(
    encodeRecords(CONTENT_TYPE.handshake, version, handshake),
    changeCipherSpecRecord(version),
    encodeRecords(CONTENT_TYPE.handshake, version, GARBAGE_FINISHED),
  );
  return { steps: [{ bytes: concatBytes(parts) }] };
}

/** The leaf certificate's RSA key and modulus, or why there is none to encrypt to. */
function serverRsaKey(
  flight: ServerFlight,
): { certificate: X509Certificate; modulus: Uint8Array } | string {
  const message = flight.messages.find((m) => m.type === HANDSHAKE_TYPE.certificate);
  if (message === undefined) return 'the server sent no Certificate';
  let certificate: X509Certificate;
  try {
    const leaf = parseCertificateList(message.body)[0];
    if (leaf === undefined) return 'the server sent an empty certificate list';
    certificate = new X509Certificate(leaf);
  } catch (err) {
    const why = isWiretightError(err) || err instanceof Error ? err.message : String(err);
    return `the server certificate cannot be read: ${why}`;
  }
  const publicKey = certificate.publicKey;
  if (publicKey.asymmetricKeyType !== 'rsa') {
    return `the server certificate holds a ${publicKey.asymmetricKeyType ?? 'unknown'} key, not an RSA encryption key`;
  }
  const n = publicKey.export({ format: 'jwk' }).n;
  const modulus = new Uint8Array(Buffer.from(n ?? '', 'base64url'));
  if (modulus.length < MIN_MODULUS_BYTES) {
    return `the server RSA key of ${modulus.length * 8} bits is too small to carry a premaster`;
  }
  return { certificate, modulus };
}
