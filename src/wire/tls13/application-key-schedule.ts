import { createHash } from 'node:crypto';
import { deriveSecret, hkdfExpandLabel, hkdfExtract } from './key-schedule.ts';
import { tls13Suite } from './suites.ts';

/**
 * The last stage of the TLS 1.3 key schedule (RFC 8446 §7.1, §4.6.1, §7.2): the master
 * secret and the application traffic secrets once the server's Finished is in, the
 * resumption master secret once the client's Finished is, the PSK of each ticket, and the
 * next traffic secret after a KeyUpdate.
 */

export interface ApplicationSecrets {
  readonly masterSecret: Uint8Array;
  readonly clientApplicationTrafficSecret: Uint8Array;
  readonly serverApplicationTrafficSecret: Uint8Array;
}

/** From the handshake secret and Transcript-Hash(ClientHello..server Finished). */
export function deriveApplicationSecrets(
  suiteId: number,
  handshakeSecret: Uint8Array,
  throughServerFinished: Uint8Array,
): ApplicationSecrets {
  const { hash, hashLength } = tls13Suite(suiteId);
  const emptyHash = new Uint8Array(createHash(hash).digest());
  const derived = deriveSecret(hash, handshakeSecret, 'derived', emptyHash);
  const masterSecret = hkdfExtract(hash, derived, new Uint8Array(hashLength));
  const th = throughServerFinished;
  return {
    masterSecret,
    clientApplicationTrafficSecret: deriveSecret(hash, masterSecret, 'c ap traffic', th),
    serverApplicationTrafficSecret: deriveSecret(hash, masterSecret, 's ap traffic', th),
  };
}

/** resumption_master_secret, from Transcript-Hash(ClientHello..client Finished). */
export function resumptionMasterSecret(
  suiteId: number,
  masterSecret: Uint8Array,
  throughClientFinished: Uint8Array,
): Uint8Array {
  return deriveSecret(tls13Suite(suiteId).hash, masterSecret, 'res master', throughClientFinished);
}

/** The PSK a ticket stands for: HKDF-Expand-Label(resumption_master_secret, "resumption", nonce). */
export function resumptionPsk(
  suiteId: number,
  resumptionMaster: Uint8Array,
  ticketNonce: Uint8Array,
): Uint8Array {
  const { hash, hashLength } = tls13Suite(suiteId);
  return hkdfExpandLabel(hash, resumptionMaster, 'resumption', ticketNonce, hashLength);
}

/** application_traffic_secret_N+1 after a KeyUpdate (§7.2). */
export function nextTrafficSecret(suiteId: number, secret: Uint8Array): Uint8Array {
  const { hash, hashLength } = tls13Suite(suiteId);
  return hkdfExpandLabel(hash, secret, 'traffic upd', new Uint8Array(0), hashLength);
}
