/** Exit codes of `wiretight scan`, a public contract (README, docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** A policy or --fail-on threshold was not met. */
  policy: 1,
  /** The command line was wrong. */
  usage: 2,
  /** A target was unreachable, or not TLS when TLS was required. */
  unreachable: 3,
} as const;
