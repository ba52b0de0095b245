/**
 * The challenge types this server offers, one validator each, and which apply to an
 * identifier: a wildcard only dns-01 (RFC 8555 §7.1.3), an IP address no dns-01 (RFC 8738 §7).
 */
import type { ChallengeType } from '../store.ts';
import type { AuthorizationTarget } from '../identifiers.ts';
import { validateDns01 } from './dns-01.ts';
import { validateHttp01 } from './http-01.ts';
import { validateTlsAlpn01 } from './tls-alpn-01.ts';
import type { Validator } from './types.ts';

export const VALIDATORS = {
  'http-01': validateHttp01,
  'dns-01': validateDns01,
  'tls-alpn-01': validateTlsAlpn01,
} as const satisfies Record<ChallengeType, Validator>;

export function offeredChallenges(target: AuthorizationTarget): ChallengeType[] {
  if (target.wildcard) return ['dns-01'];
  if (target.identifier.type === 'ip') return ['http-01', 'tls-alpn-01'];
  return ['http-01', 'dns-01', 'tls-alpn-01'];
}

export { keyAuthorization, keyAuthorizationDigest } from './key-authorization.ts';
export type {
  ValidationOutcome,
  ValidationSettings,
  ValidationTarget,
  Validator,
} from './types.ts';
