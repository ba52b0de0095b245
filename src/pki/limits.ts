// How far path building goes with a hostile chain. In a module of their own so the
// verdict vocabulary (verdicts.ts), which every scan's rules read, can name them without
// loading the path builder.

/** Certificates in one path, leaf and anchor included; real paths have 2 to 4. */
export const MAX_PATH_LENGTH = 16;

/**
 * Signature checks a hostile chain may cost. A chain of 300 certificates all named like the
 * leaf's issuer would otherwise cost 300 checks per link; past the budget, candidates
 * count as not the issuer and the verdict says why the path stopped.
 */
export const MAX_SIGNATURE_CHECKS = 200;
