/**
 * dns-01 (RFC 8555 §8.4): a TXT record at _acme-challenge.<domain> holding base64url
 * SHA-256 of the key authorization. Asked of the configured DNS server (or the system's),
 * one try, within the validation's deadline.
 */
import { problemDocument } from '../problems.ts';
import { keyAuthorizationDigest } from './key-authorization.ts';
import { dnsResolverFor, failureProblem, query } from './network.ts';
import { VALID, type Validator } from './types.ts';

const NO_RECORD = ['ENODATA', 'ENOTFOUND'];

export const dns01RecordName = (domain: string): string => `_acme-challenge.${domain}`;

export const validateDns01: Validator = async (target, settings, signal) => {
  const name = dns01RecordName(target.identifier.value);
  const expected = keyAuthorizationDigest(target.keyAuthorization).toString('base64url');
  let records: string[][];
  try {
    records = await query(dnsResolverFor(settings), signal, (r) => r.resolveTxt(name));
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (!signal.aborted && typeof code === 'string' && NO_RECORD.includes(code)) {
      return { valid: false, problem: problemDocument('unauthorized', `no TXT record at ${name}`) };
    }
    if (signal.aborted) {
      return {
        valid: false,
        problem: failureProblem(error, `TXT ${name}`, signal, settings.timeoutMs),
      };
    }
    // Any other failure is the DNS server's (refused, SERVFAIL, unreachable): a dns problem.
    const what = typeof code === 'string' ? code : String(error);
    return {
      valid: false,
      problem: problemDocument('dns', `TXT ${name}: DNS query failed (${what.slice(0, 80)})`),
    };
  }
  // A long TXT value arrives split in 255-byte strings: the record is their concatenation.
  if (records.some((chunks) => chunks.join('') === expected)) return VALID;
  return {
    valid: false,
    problem: problemDocument(
      'incorrectResponse',
      `no TXT record at ${name} holds the expected value (${records.length} found)`,
    ),
  };
};
