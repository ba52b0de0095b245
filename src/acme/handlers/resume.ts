import type { AcmeContext } from '../context.ts';
import type { AccountRecord, AuthorizationRecord, ChallengeRecord } from '../store.ts';

/** Restarts the validation of challenges a restart left processing (see validations.ts). */
export async function resumeStalled(
  ctx: AcmeContext,
  challenges: readonly ChallengeRecord[],
  authorization: AuthorizationRecord,
  account: AccountRecord,
): Promise<void> {
  for (const challenge of challenges) {
    if (challenge.status === 'processing' && !ctx.validations.isRunning(challenge.id)) {
      await ctx.validations.start(challenge, authorization, account);
    }
  }
}
