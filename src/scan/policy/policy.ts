import type { FindingId } from '../findings/index.ts';
import type { ProtocolName } from '../../wire/registry/versions.ts';
import type { TargetPattern } from './target-pattern.ts';

/** The suites a policy allows: the cipher string as written and what it selects. */
export interface AllowedSuites {
  readonly expression: string;
  /** Report ids (`0xc02f`, SSLv2 `0x0700c0`) of the suites selected. */
  readonly ids: ReadonlySet<string>;
}

/** A finding accepted for some endpoints until a date, with why. */
export interface Suppression {
  readonly id: FindingId;
  readonly targets: readonly TargetPattern[];
  readonly reason: string;
  /** `YYYY-MM-DD`: the last day the suppression holds (UTC). */
  readonly expires: string;
  /** The instant it stops holding: the start of the day after `expires`, UTC. */
  readonly expiresAt: Date;
}

/** A validated policy file (docs/policy.md). Absent keys impose nothing. */
export interface Policy {
  readonly version: 1;
  /** The file it was read from, for messages. */
  readonly source: string;
  readonly minVersion?: ProtocolName;
  readonly allowedSuites?: AllowedSuites;
  readonly minKeySizes?: { readonly rsa?: number; readonly ec?: number; readonly dh?: number };
  readonly maxCertificateLifetimeDays?: number;
  /** For the scan: `cert.expiring-soon` below this many days left. */
  readonly expiryWarningDays?: number;
  /** HSTS with at least this max-age (`requireHsts: true` asks for any positive max-age). */
  readonly requireHsts?: { readonly minMaxAge: number };
  readonly requireClientCertificates?: boolean;
  readonly suppressions: readonly Suppression[];
}
