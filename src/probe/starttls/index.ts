export { starttlsDialer } from './dialer.ts';
export {
  STARTTLS_PROTOCOLS,
  STARTTLS_PROTOCOL_NAMES,
  type StarttlsProtocol,
  isStarttlsProtocol,
  starttlsForPort,
} from './protocols.ts';
export {
  type PlaintextProtocolName,
  type PlaintextStatement,
  StarttlsRefusedError,
} from './errors.ts';
export { MAX_DIALOGUE_BYTES, MAX_LINE_BYTES } from './conversation.ts';
