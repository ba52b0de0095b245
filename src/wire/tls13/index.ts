// The one public door of src/wire/tls13: the client's view of a TLS 1.3 server's encrypted
// first flight (key shares, key schedule to the handshake traffic secrets, record
// decryption, flight parsing), and the client's side of a whole connection for tickets,
// resumption and 0-RTT (its flight, record sealing, NewSessionTicket, PSK binders, the
// rest of the key schedule). Named exports only. What it shares with the rest of the
// wire is not repeated here: HANDSHAKE_TYPE and HandshakeReassembler (../handshake.ts),
// CONTENT_TYPE and RecordDeframer (../record.ts), HELLO_RETRY_REQUEST_RANDOM
// (../server-hello.ts), parseExtensions and the extension codecs (../extensions/),
// EXTENSION_TYPES (../registry/).
export { TLS13_SUITES, TLS13_IV_LENGTH, isTls13Suite, tls13Suite } from './suites.ts';
export type { Tls13Hash, Tls13Suite, Tls13SuiteId } from './suites.ts';
export { aeadOpen, aeadSeal } from './aead.ts';
export {
  KEY_SHARE_GROUPS,
  generateKeyShare,
  isKeyShareAvailable,
  supportedKeyShareGroups,
} from './key-exchange.ts';
export type { ClientKeyShare, KeyShareOptions } from './key-exchange.ts';
export {
  handshakeMessageType,
  isHelloRetryRequest,
  messageHashMessage,
  transcriptHash,
} from './transcript.ts';
export {
  deriveHandshakeSecrets,
  deriveSecret,
  finishedVerifyData,
  hkdfExpand,
  hkdfExpandLabel,
  hkdfExtract,
  trafficKeys,
  verifyServerFinished,
} from './key-schedule.ts';
export type { HandshakeSecrets } from './key-schedule.ts';
export {
  HandshakeDecryptor,
  MAX_CIPHERTEXT_LENGTH,
  parseInnerPlaintext,
} from './record-protection.ts';
export type { OpenedRecord } from './record-protection.ts';
export {
  parseCertificate,
  parseCertificateRequest,
  parseCertificateVerify,
  parseEncryptedExtensions,
  parseFinished,
} from './server-messages.ts';
export type {
  Certificate,
  CertificateEntry,
  CertificateRequest,
  CertificateVerify,
  EncryptedExtensions,
  Finished,
} from './server-messages.ts';
export { Tls13ServerFlight } from './server-flight.ts';
export type { Tls13ServerFlightResult } from './server-flight.ts';
export {
  binderKey,
  clientEarlyTrafficSecret,
  deriveHandshakeSecretsFrom,
  earlySecretFromPsk,
  pskBinder,
  zeroEarlySecret,
} from './psk-key-schedule.ts';
export {
  deriveApplicationSecrets,
  nextTrafficSecret,
  resumptionMasterSecret,
  resumptionPsk,
} from './application-key-schedule.ts';
export type { ApplicationSecrets } from './application-key-schedule.ts';
export { RecordSealer, perRecordNonce } from './record-sealer.ts';
export { clientFinished, emptyClientCertificate, endOfEarlyData } from './client-flight.ts';
export {
  bindersLength,
  decodeOfferedPsks,
  decodeServerPreSharedKey,
  encodeOfferedPsks,
  encodeServerPreSharedKey,
} from './pre-shared-key.ts';
export type { OfferedPsks, PskIdentity } from './pre-shared-key.ts';
export {
  decodeTicketEarlyData,
  earlyDataIndication,
  encodeTicketEarlyData,
  hasEarlyDataIndication,
} from './early-data.ts';
export {
  MAX_TICKET_LENGTH,
  encodeNewSessionTicket,
  parseNewSessionTicket,
} from './new-session-ticket.ts';
export type { NewSessionTicket } from './new-session-ticket.ts';
export { obfuscateTicketAge, offerPsk } from './psk-client-hello.ts';
export type { PskClientHello, PskOffer } from './psk-client-hello.ts';
export { DEFAULT_MAX_POST_HANDSHAKE_MESSAGE, Tls13ClientSession } from './client-session.ts';
export type {
  ReceivedRecord,
  ResumptionTicket,
  Tls13ClientSessionOptions,
} from './client-session.ts';
