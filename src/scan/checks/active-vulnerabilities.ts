import type { Check, Job } from '../job.ts';
import { type ActiveCheckInput, DEFAULT_QUIET_MS } from './active-input.ts';
import { CcsInjectionCheck, type CcsInjectionFacts } from './ccs-injection.ts';
import { CompressionCheck, type CompressionFacts } from './compression.ts';
import { FallbackScsvCheck, type FallbackScsvFacts } from './fallback-scsv.ts';
import { HeartbleedCheck, type HeartbleedFacts } from './heartbleed.ts';
import { RenegotiationInfoCheck, type RenegotiationInfoFacts } from './renegotiation-info.ts';
import { RobotCheck, type RobotFacts } from './robot.ts';

/** The facts of every active vulnerability probe, as the report keeps them (JSON-serializable). */
export interface ActiveVulnerabilityFacts {
  readonly heartbleed: HeartbleedFacts;
  readonly ccsInjection: CcsInjectionFacts;
  readonly robot: RobotFacts;
  readonly compression: CompressionFacts;
  readonly fallbackScsv: FallbackScsvFacts;
  readonly renegotiation: RenegotiationInfoFacts;
}

/** What runs checks: `JobRunner` in a scan, a recorded-outcome driver in tests. */
export interface CheckDriver {
  drive<J extends Job, F>(check: Check<J, F>): Promise<F>;
}

export { ACTIVE_CHECK_NAMES, inconclusiveActiveChecks } from './active-names.ts';

/**
 * Runs the six probes side by side (each plans its own connections: one apiece, ROBOT up to
 * ten) once the suites each version accepts are known. `quietMs` is how long silence must
 * last to count as an answer.
 */
export async function gatherActiveVulnerabilities(
  driver: CheckDriver,
  input: ActiveCheckInput,
  quietMs = DEFAULT_QUIET_MS,
): Promise<ActiveVulnerabilityFacts> {
  const [heartbleed, ccsInjection, robot, compression, fallbackScsv, renegotiation] =
    await Promise.all([
      driver.drive(new HeartbleedCheck(input, quietMs)),
      driver.drive(new CcsInjectionCheck(input, quietMs)),
      driver.drive(new RobotCheck(input, quietMs)),
      driver.drive(new CompressionCheck(input)),
      driver.drive(new FallbackScsvCheck(input)),
      driver.drive(new RenegotiationInfoCheck(input)),
    ]);
  return { heartbleed, ccsInjection, robot, compression, fallbackScsv, renegotiation };
}
