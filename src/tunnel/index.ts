// The tunnel's public door: start a server or client tunnel, and the pieces the CLI
// and the tests name (posture, policy, credentials, endpoints, log vocabulary).
export { startTunnelClient, type TunnelClientOptions } from './client.ts';
export {
  type ConnectionRecord,
  type Refusal,
  type TlsFacts,
  type TunnelMode,
} from './connection-log.ts';
export {
  type CredentialPaths,
  type Credentials,
  MAX_CREDENTIAL_FILE_BYTES,
  loadCredentials,
} from './credentials.ts';
export { type Endpoint, dialPlain, formatEndpoint, parseEndpoint } from './endpoint.ts';
export { CLOSE_REASONS, type CloseReason, type ForwardOutcome } from './forward.ts';
export { HANDSHAKE_FAILURES, type HandshakeFailureReason } from './handshake-failure.ts';
export { type PeerIdentity, peerIdentity } from './identity.ts';
export { DEFAULT_LIMITS, type TunnelLimits } from './lifecycle.ts';
export type { Tunnel } from './listen.ts';
export { type AllowRules, type AuthorizationDecision, createAuthorizer } from './policy.ts';
export { TUNNEL_METRICS } from './metrics.ts';
export { TUNNEL_POSTURE } from './posture.ts';
export {
  RELOAD_TRIGGERS,
  type ReloadResult,
  type ReloadSettings,
  type ReloadTrigger,
} from './reloader.ts';
export { type TunnelServerOptions, startTunnelServer } from './server.ts';
export { type StatusServer, type StatusServerOptions, startStatusServer } from './status.ts';
