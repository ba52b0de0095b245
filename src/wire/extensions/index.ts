export { type Extension, parseExtensions, writeExtensions, findExtension } from './extension.ts';
export { encodeServerName, decodeServerName } from './server-name.ts';
export { encodeSupportedGroups, decodeSupportedGroups } from './supported-groups.ts';
export { encodeSignatureAlgorithms, decodeSignatureAlgorithms } from './signature-algorithms.ts';
export { encodeEcPointFormats, decodeEcPointFormats } from './ec-point-formats.ts';
export {
  encodeSupportedVersions,
  decodeClientSupportedVersions,
  decodeServerSupportedVersion,
  encodeServerSupportedVersion,
} from './supported-versions.ts';
export {
  type KeyShareEntry,
  encodeClientKeyShares,
  decodeClientKeyShares,
  decodeServerKeyShare,
  encodeServerKeyShare,
  decodeHelloRetryKeyShare,
} from './key-share.ts';
export { encodeAlpn, decodeAlpn, decodeServerAlpn } from './alpn.ts';
export { decodeCertificateAuthorities } from './certificate-authorities.ts';
export { encodeRenegotiationInfo, decodeRenegotiationInfo } from './renegotiation-info.ts';
export { encodeStatusRequest, decodeStatusRequest } from './status-request.ts';
export { decodeSignedCertificateTimestamps } from './signed-certificate-timestamp.ts';
export { encodeHeartbeat, decodeHeartbeat } from './heartbeat.ts';
export { encodePadding } from './padding.ts';
