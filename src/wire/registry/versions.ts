/** Protocol names are a public contract (DESIGN.md); wire values are what the hello carries. */
export const PROTOCOLS = [
  { name: 'SSLv2', wire: 0x0002 },
  { name: 'SSLv3', wire: 0x0300 },
  { name: 'TLSv1.0', wire: 0x0301 },
  { name: 'TLSv1.1', wire: 0x0302 },
  { name: 'TLSv1.2', wire: 0x0303 },
  { name: 'TLSv1.3', wire: 0x0304 },
] as const;

export type ProtocolName = (typeof PROTOCOLS)[number]['name'];
export type TlsProtocolName = Exclude<ProtocolName, 'SSLv2'>;

export const PROTOCOL_NAMES: readonly ProtocolName[] = PROTOCOLS.map((p) => p.name);

const byWire = new Map<number, ProtocolName>(PROTOCOLS.map((p) => [p.wire, p.name]));

export function protocolWire(name: ProtocolName): number {
  const found = PROTOCOLS.find((p) => p.name === name);
  if (found === undefined) throw new RangeError(`unknown protocol ${name}`);
  return found.wire;
}

/** The protocol name for a wire version, or a hex label for versions nobody registered. */
export function protocolName(wire: number): ProtocolName | undefined {
  return byWire.get(wire);
}

/** Rank for comparisons: SSLv2 < SSLv3 < … < TLSv1.3. */
export function protocolRank(name: ProtocolName): number {
  return PROTOCOL_NAMES.indexOf(name);
}
