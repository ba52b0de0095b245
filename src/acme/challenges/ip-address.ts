/**
 * IP address forms the validators need: the 4 or 16 bytes a certificate's iPAddress SAN
 * holds, and the reverse-DNS name RFC 8738 §6 sends as the tls-alpn-01 SNI for an IP.
 */
import { isIP } from 'node:net';

function ipv6Groups(text: string): number[] {
  const [head = '', tail] = text.split('::');
  const parse = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  const zeros = tail === undefined ? 0 : 8 - front.length - back.length;
  return [...front, ...Array<number>(zeros).fill(0), ...back];
}

/** The address bytes of an IPv4 or (dotless) IPv6 text; undefined for anything else. */
export function ipBytes(ip: string): Uint8Array | undefined {
  const family = isIP(ip);
  if (family === 4) return Uint8Array.from(ip.split('.').map(Number));
  if (family !== 6 || ip.includes('.')) return undefined;
  const out = new Uint8Array(16);
  ipv6Groups(ip).forEach((group, i) => {
    out[2 * i] = group >> 8;
    out[2 * i + 1] = group & 0xff;
  });
  return out;
}

/** 4.3.2.1.in-addr.arpa, or the 32 reversed nibbles of an IPv6 address under ip6.arpa. */
export function reverseDnsName(ip: string): string | undefined {
  const bytes = ipBytes(ip);
  if (bytes === undefined) return undefined;
  if (bytes.length === 4) return `${[...bytes].reverse().join('.')}.in-addr.arpa`;
  const nibbles = [...bytes].flatMap((b) => [(b >> 4).toString(16), (b & 0xf).toString(16)]);
  return `${nibbles.reverse().join('.')}.ip6.arpa`;
}
