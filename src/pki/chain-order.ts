import type { IssuanceChecks } from './issuance.ts';
import type { SentCertificate } from './path.ts';

/** How the chain as sent is laid out, judged from the sent certificates alone. */
export interface ChainOrderFacts {
  /** Leaf first, each next certificate the issuer of the one before, nothing else. */
  readonly ordered: boolean;
  /** Positions (0 = leaf) of certificates of the chain sent at another place than their turn. */
  readonly misplaced: number[];
  /** Positions of certificates sent a second time. */
  readonly duplicates: number[];
  /** Positions of certificates that issued none of the others: not part of this chain. */
  readonly unrelated: number[];
  /** Positions of entries that cannot be parsed. */
  readonly unparseable: number[];
}

/**
 * Links the sent certificates from the leaf up (each link: the first unlinked sent
 * certificate that issued the current one), then compares the links with the order sent.
 * `sent` holds the parseable certificates with their positions; `count` is the number of
 * entries sent, parseable or not.
 */
export function judgeChainOrder(
  sent: readonly SentCertificate[],
  count: number,
  checks: IssuanceChecks,
): ChainOrderFacts {
  const seen = new Map<string, number>();
  const duplicates: number[] = [];
  const distinct: SentCertificate[] = [];
  for (const s of sent) {
    if (seen.has(s.cert.facts.sha256)) duplicates.push(s.position);
    else {
      seen.set(s.cert.facts.sha256, s.position);
      distinct.push(s);
    }
  }
  const parsedPositions = new Set(sent.map((s) => s.position));
  const unparseable: number[] = [];
  for (let i = 0; i < count; i++) if (!parsedPositions.has(i)) unparseable.push(i);

  const leaf = distinct[0];
  const linked: SentCertificate[] = leaf?.position === 0 ? [leaf] : [];
  const inChain = new Set(linked.map((s) => s.position));
  for (let current = linked[0]; current !== undefined;) {
    const from = current;
    const next = distinct.find(
      (s) => !inChain.has(s.position) && checks.check(from.cert, s.cert) === 'issued',
    );
    if (next === undefined) break;
    linked.push(next);
    inChain.add(next.position);
    current = next;
  }
  // Duplicates and strangers are reported on their own; among the linked certificates,
  // those not in ascending position are the ones sent out of turn.
  const ascending = linked.map((s) => s.position).sort((a, b) => a - b);
  const misplaced = linked.filter((s, i) => s.position !== ascending[i]).map((s) => s.position);
  const unrelated = distinct.filter((s) => !inChain.has(s.position)).map((s) => s.position);
  return {
    ordered:
      misplaced.length === 0 &&
      duplicates.length === 0 &&
      unrelated.length === 0 &&
      unparseable.length === 0,
    misplaced,
    duplicates,
    unrelated,
    unparseable,
  };
}
