import type { Finding } from './findings/index.ts';
import { profileInputFrom } from './profile-input.ts';
import { type ProfileName, checkProfile, mozillaProfile } from './profiles/index.ts';
import type { ReportFacts, ScanReport } from './report.ts';

/** A profile check's outcome: the report's `profile` summary and its `profile.*` findings. */
export interface ProfileVerdict {
  readonly summary: NonNullable<ScanReport['profile']>;
  readonly findings: readonly Finding[];
}

/** Checks a scan's facts against a Mozilla profile; nothing to check without TLS. */
export function checkProfileOf(name: ProfileName, facts: ReportFacts): ProfileVerdict {
  const findings = facts.tls ? checkProfile(name, profileInputFrom(facts)) : [];
  return {
    summary: {
      name,
      guidelines: mozillaProfile(name).guidelines,
      compliant: facts.tls && findings.length === 0,
    },
    findings,
  };
}
