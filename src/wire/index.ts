export {
  CONTENT_TYPE,
  type TlsRecord,
  RecordDeframer,
  encodeRecords,
  MAX_RECORD_FRAGMENT,
} from './record.ts';
export {
  HANDSHAKE_TYPE,
  type HandshakeMessage,
  HandshakeReassembler,
  encodeHandshake,
  DEFAULT_MAX_HANDSHAKE_MESSAGE,
} from './handshake.ts';
export { type Alert, parseAlert, encodeAlert } from './alert.ts';
export {
  type ClientHello,
  type HelloOptions,
  buildClientHello,
  encodeClientHello,
  encodeClientHelloBody,
  parseClientHello,
  clientHelloRecords,
} from './client-hello.ts';
export {
  type ServerHello,
  type ServerHelloFacts,
  parseServerHello,
  encodeServerHelloBody,
  serverHelloFacts,
  HELLO_RETRY_REQUEST_RANDOM,
} from './server-hello.ts';
export { parseCertificateList } from './certificate.ts';
export {
  type KeyExchangeParams,
  parseServerKeyExchange,
  bitLength,
} from './server-key-exchange.ts';
export { type CertificateRequest, parseCertificateRequest } from './certificate-request.ts';
export {
  SSLV2_MSG,
  buildSslv2ClientHello,
  parseSslv2ServerHello,
  sslv2RecordLength,
  type Sslv2ServerHello,
  SSLV2_MAX_RECORD,
} from './sslv2.ts';
