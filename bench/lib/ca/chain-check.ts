// What the bench checks of every certificate it counts: a rate of certificates that name
// the wrong host, carry the wrong key or are not signed by the next certificate would be a
// rate of nothing. The check is node:crypto's, independent of the CA code under test.
import { type KeyObject, X509Certificate } from 'node:crypto';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----/g;

/** A chain longer than this is refused before parsing: no CA under test sends one. */
export const MAX_CHAIN_CERTIFICATES = 8;

/**
 * Why the chain is not a certificate for `dnsName` with `publicKey`, issued by the chain's
 * second certificate; undefined when it is.
 */
export function chainProblem(
  chainPem: string,
  dnsName: string,
  publicKey: KeyObject,
): string | undefined {
  const blocks = chainPem.match(PEM_BLOCK) ?? [];
  if (blocks.length < 2)
    return `the chain has ${blocks.length} certificate(s), expected leaf + issuer`;
  if (blocks.length > MAX_CHAIN_CERTIFICATES) return `the chain has ${blocks.length} certificates`;
  let leaf: X509Certificate;
  let issuer: X509Certificate;
  try {
    leaf = new X509Certificate(blocks[0]!);
    issuer = new X509Certificate(blocks[1]!);
  } catch (error) {
    return `the chain does not parse: ${(error as Error).message}`;
  }
  const names = (leaf.subjectAltName ?? '').split(', ');
  if (!names.includes(`DNS:${dnsName}`)) {
    return `the leaf names ${leaf.subjectAltName ?? 'nothing'}, not DNS:${dnsName}`;
  }
  if (!leaf.publicKey.equals(publicKey)) return 'the leaf carries another key than the request';
  if (!leaf.checkIssued(issuer) || !leaf.verify(issuer.publicKey)) {
    return `the leaf is not signed by the next certificate (${issuer.subject.replaceAll('\n', ', ')})`;
  }
  return undefined;
}
