/**
 * RFC 9773 §5: a newOrder may name, in `replaces`, the certID of the certificate it
 * renews. It must be a certificate this account ordered, share an identifier with the new
 * order, and not be replaced already by a finalized order (alreadyReplaced).
 */
import type { Identifier } from '../ca/types.ts';
import { certId, parseCertId } from './certificates.ts';
import type { AcmeContext } from './context.ts';
import { sameIdentifier } from './identifiers.ts';
import { AcmeProblem } from './problems.ts';
import type { AccountRecord } from './store.ts';

export async function checkReplaces(
  ctx: AcmeContext,
  account: AccountRecord,
  raw: unknown,
  identifiers: readonly Identifier[],
): Promise<string> {
  const parsed = typeof raw === 'string' ? parseCertId(raw) : undefined;
  if (typeof raw !== 'string' || parsed === undefined) {
    throw new AcmeProblem('malformed', 'replaces is not a certID (RFC 9773 §4.1)');
  }
  const record = await ctx.ca.get(parsed.serial);
  const order = await ctx.store.findOrderByCertificate(parsed.serial);
  // The whole certID must match, not just the serial: the key identifier names the issuer.
  if (record === undefined || order === undefined || certId(record.der) !== raw) {
    throw new AcmeProblem('malformed', 'replaces names no certificate issued through this server');
  }
  if (order.accountId !== account.id) {
    throw new AcmeProblem('unauthorized', 'replaces names a certificate of another account');
  }
  if (!record.identifiers.some((a) => identifiers.some((b) => sameIdentifier(a, b)))) {
    throw new AcmeProblem(
      'malformed',
      'the order shares no identifier with the certificate it replaces',
    );
  }
  const successors = await ctx.store.findOrdersReplacing(raw);
  if (successors.some((o) => o.status === 'valid')) {
    throw new AcmeProblem('alreadyReplaced', 'the certificate has been replaced already');
  }
  return raw;
}
