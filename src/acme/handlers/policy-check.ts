/**
 * Asks the CA whether its policy allows the identifiers, and when it does not, which ones
 * it refuses: one rejectedIdentifier problem with a subproblem per refused identifier.
 */
import type { Identifier } from '../../ca/types.ts';
import { isWiretightError } from '../../errors.ts';
import type { AcmeCertificateAuthority } from '../ca-port.ts';
import { AcmeProblem, type ProblemDocument, problemDocument } from '../problems.ts';

const refusal = (ca: AcmeCertificateAuthority, ids: readonly Identifier[]): string | undefined => {
  try {
    ca.checkIdentifiers(ids);
    return undefined;
  } catch (error) {
    if (isWiretightError(error) && error.code === 'WT_ERR_CA_POLICY') return error.message;
    throw error;
  }
};

export function checkPolicy(
  ca: AcmeCertificateAuthority,
  identifiers: readonly Identifier[],
): void {
  const whole = refusal(ca, identifiers);
  if (whole === undefined) return;
  const subproblems: ProblemDocument[] = [];
  for (const identifier of identifiers) {
    const why = refusal(ca, [identifier]);
    if (why !== undefined)
      subproblems.push(problemDocument('rejectedIdentifier', why, { identifier }));
  }
  throw new AcmeProblem(
    'rejectedIdentifier',
    whole,
    subproblems.length === 0 ? {} : { subproblems },
  );
}
