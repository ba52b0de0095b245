const DAY_MS = 86_400_000;

/** A certificate's validity period judged at one instant. */
export interface ValidityFacts {
  readonly notBefore: string;
  readonly notAfter: string;
  readonly status: 'valid' | 'expired' | 'not-yet-valid';
  /** Whole days from the check to notAfter, rounded down: 0 on the last day, negative once expired. */
  readonly daysLeft: number;
  /** notAfter − notBefore in days, to two decimals (negative when the dates are inverted). */
  readonly lifetimeDays: number;
}

/** Judges notBefore/notAfter (ISO 8601, as in the report's facts) at `now`. */
export function judgeValidity(
  dates: { readonly notBefore: string; readonly notAfter: string },
  now: Date,
): ValidityFacts {
  const from = Date.parse(dates.notBefore);
  const to = Date.parse(dates.notAfter);
  const t = now.getTime();
  // RFC 5280 §4.1.2.5: both ends are inclusive.
  const status = t < from ? 'not-yet-valid' : t > to ? 'expired' : 'valid';
  return {
    notBefore: dates.notBefore,
    notAfter: dates.notAfter,
    status,
    daysLeft: Math.floor((to - t) / DAY_MS),
    lifetimeDays: Math.round(((to - from) / DAY_MS) * 100) / 100,
  };
}
