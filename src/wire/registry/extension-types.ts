/** TLS ExtensionType values (IANA registry) that wiretight builds, parses or reports. */
export const EXTENSION_TYPES = {
  server_name: 0,
  max_fragment_length: 1,
  status_request: 5,
  supported_groups: 10,
  ec_point_formats: 11,
  signature_algorithms: 13,
  use_srtp: 14,
  heartbeat: 15,
  application_layer_protocol_negotiation: 16,
  status_request_v2: 17,
  signed_certificate_timestamp: 18,
  client_certificate_type: 19,
  server_certificate_type: 20,
  padding: 21,
  encrypt_then_mac: 22,
  extended_master_secret: 23,
  compress_certificate: 27,
  record_size_limit: 28,
  session_ticket: 35,
  pre_shared_key: 41,
  early_data: 42,
  supported_versions: 43,
  cookie: 44,
  psk_key_exchange_modes: 45,
  certificate_authorities: 47,
  oid_filters: 48,
  post_handshake_auth: 49,
  signature_algorithms_cert: 50,
  key_share: 51,
  next_protocol_negotiation: 13172,
  application_settings: 17513,
  encrypted_client_hello: 0xfe0d,
  renegotiation_info: 0xff01,
} as const;

export type ExtensionName = keyof typeof EXTENSION_TYPES;

const byId = new Map<number, string>(
  Object.entries(EXTENSION_TYPES).map(([name, id]) => [id, name]),
);

export function extensionName(id: number): string {
  return byId.get(id) ?? `unknown_${id}`;
}
