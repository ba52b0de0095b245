export { applyPolicy, evaluatePolicy, type PolicyResult } from './evaluate.ts';
export { loadPolicyFile, parsePolicy, type PolicyLoadOptions } from './load.ts';
export type { AllowedSuites, Policy, Suppression } from './policy.ts';
export { PolicyError, type PolicyProblem, formatProblem } from './policy-error.ts';
export { POLICY_KEYS } from './schema.ts';
export type { SuppressedFinding, SuppressionWarning } from './suppress.ts';
export { type SuiteSelection, selectSuites } from './cipher-string.ts';
export { CIPHER_KEYWORDS } from './cipher-keywords.ts';
