/**
 * TLS Supported Groups (IANA registry), with what a scanner needs to know of each: the
 * family, the classical security level in bits, whether it is post-quantum (hybrid).
 */
export const GROUPS = [
  { id: 0x0001, name: 'sect163k1', family: 'ec', bits: 80 },
  { id: 0x0002, name: 'sect163r1', family: 'ec', bits: 80 },
  { id: 0x0003, name: 'sect163r2', family: 'ec', bits: 80 },
  { id: 0x0004, name: 'sect193r1', family: 'ec', bits: 96 },
  { id: 0x0005, name: 'sect193r2', family: 'ec', bits: 96 },
  { id: 0x0006, name: 'sect233k1', family: 'ec', bits: 112 },
  { id: 0x0007, name: 'sect233r1', family: 'ec', bits: 112 },
  { id: 0x0008, name: 'sect239k1', family: 'ec', bits: 112 },
  { id: 0x0009, name: 'sect283k1', family: 'ec', bits: 128 },
  { id: 0x000a, name: 'sect283r1', family: 'ec', bits: 128 },
  { id: 0x000b, name: 'sect409k1', family: 'ec', bits: 192 },
  { id: 0x000c, name: 'sect409r1', family: 'ec', bits: 192 },
  { id: 0x000d, name: 'sect571k1', family: 'ec', bits: 256 },
  { id: 0x000e, name: 'sect571r1', family: 'ec', bits: 256 },
  { id: 0x000f, name: 'secp160k1', family: 'ec', bits: 80 },
  { id: 0x0010, name: 'secp160r1', family: 'ec', bits: 80 },
  { id: 0x0011, name: 'secp160r2', family: 'ec', bits: 80 },
  { id: 0x0012, name: 'secp192k1', family: 'ec', bits: 96 },
  { id: 0x0013, name: 'secp192r1', family: 'ec', bits: 96 },
  { id: 0x0014, name: 'secp224k1', family: 'ec', bits: 112 },
  { id: 0x0015, name: 'secp224r1', family: 'ec', bits: 112 },
  { id: 0x0016, name: 'secp256k1', family: 'ec', bits: 128 },
  { id: 0x0017, name: 'secp256r1', family: 'ec', bits: 128 },
  { id: 0x0018, name: 'secp384r1', family: 'ec', bits: 192 },
  { id: 0x0019, name: 'secp521r1', family: 'ec', bits: 256 },
  { id: 0x001a, name: 'brainpoolP256r1', family: 'ec', bits: 128 },
  { id: 0x001b, name: 'brainpoolP384r1', family: 'ec', bits: 192 },
  { id: 0x001c, name: 'brainpoolP512r1', family: 'ec', bits: 256 },
  { id: 0x001d, name: 'x25519', family: 'ec', bits: 128 },
  { id: 0x001e, name: 'x448', family: 'ec', bits: 224 },
  { id: 0x001f, name: 'brainpoolP256r1tls13', family: 'ec', bits: 128 },
  { id: 0x0020, name: 'brainpoolP384r1tls13', family: 'ec', bits: 192 },
  { id: 0x0021, name: 'brainpoolP512r1tls13', family: 'ec', bits: 256 },
  { id: 0x0022, name: 'GC256A', family: 'ec', bits: 128 },
  { id: 0x0023, name: 'GC256B', family: 'ec', bits: 128 },
  { id: 0x0024, name: 'GC256C', family: 'ec', bits: 128 },
  { id: 0x0025, name: 'GC256D', family: 'ec', bits: 128 },
  { id: 0x0026, name: 'GC512A', family: 'ec', bits: 256 },
  { id: 0x0027, name: 'GC512B', family: 'ec', bits: 256 },
  { id: 0x0028, name: 'GC512C', family: 'ec', bits: 256 },
  { id: 0x0029, name: 'curveSM2', family: 'ec', bits: 128 },
  { id: 0x0100, name: 'ffdhe2048', family: 'ffdhe', bits: 103 },
  { id: 0x0101, name: 'ffdhe3072', family: 'ffdhe', bits: 125 },
  { id: 0x0102, name: 'ffdhe4096', family: 'ffdhe', bits: 150 },
  { id: 0x0103, name: 'ffdhe6144', family: 'ffdhe', bits: 175 },
  { id: 0x0104, name: 'ffdhe8192', family: 'ffdhe', bits: 192 },
  { id: 0x0200, name: 'MLKEM512', family: 'pq', bits: 128 },
  { id: 0x0201, name: 'MLKEM768', family: 'pq', bits: 192 },
  { id: 0x0202, name: 'MLKEM1024', family: 'pq', bits: 256 },
  { id: 0x11eb, name: 'SecP256r1MLKEM768', family: 'hybrid', bits: 128 },
  { id: 0x11ec, name: 'X25519MLKEM768', family: 'hybrid', bits: 128 },
  { id: 0x11ed, name: 'SecP384r1MLKEM1024', family: 'hybrid', bits: 192 },
  { id: 0x6399, name: 'X25519Kyber768Draft00', family: 'hybrid', bits: 128 },
  { id: 0x639a, name: 'SecP256r1Kyber768Draft00', family: 'hybrid', bits: 128 },
] as const;

export type GroupInfo = (typeof GROUPS)[number];

const byId = new Map<number, GroupInfo>(GROUPS.map((g) => [g.id, g]));
const byName = new Map<string, GroupInfo>(GROUPS.map((g) => [g.name, g]));

export function group(id: number): GroupInfo | undefined {
  return byId.get(id);
}

export function groupByName(name: string): GroupInfo | undefined {
  return byName.get(name);
}

/** The registered name, or `0x…` for a codepoint the registry does not know. */
export function groupName(id: number): string {
  return byId.get(id)?.name ?? `0x${id.toString(16).padStart(4, '0')}`;
}

/**
 * Offer order: post-quantum hybrids, then the curves modern clients prefer, then the rest.
 * A server that follows the client's order then answers as it would answer a browser.
 */
const PREFERRED: readonly number[] = [
  0x11ec, 0x11eb, 0x11ed, 0x001d, 0x0017, 0x001e, 0x0018, 0x0019,
];

function preferenceOrder(ids: readonly number[]): number[] {
  const rank = (id: number): number => {
    const at = PREFERRED.indexOf(id);
    return at < 0 ? PREFERRED.length + id : at;
  };
  return [...ids].sort((a, b) => rank(a) - rank(b));
}

/** Groups usable for ECDHE in TLS 1.0–1.2 (RFC 8422 curves, before TLS 1.3's additions). */
export const TLS12_EC_GROUPS: readonly number[] = preferenceOrder(
  GROUPS.filter(
    (g) => g.family === 'ec' && (g.id <= 0x001e || (g.id >= 0x0022 && g.id <= 0x0029)),
  ).map((g) => g.id),
);

/** Every group a TLS 1.3 server may pick (EC, finite-field and post-quantum). */
export const TLS13_GROUPS: readonly number[] = preferenceOrder(
  GROUPS.filter((g) => g.id >= 0x0017 || g.family !== 'ec').map((g) => g.id),
);
