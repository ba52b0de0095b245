import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import { isWiretightError } from '../../errors.ts';
import { findExtension } from '../../wire/extensions/extension.ts';
import { decodeRenegotiationInfo } from '../../wire/extensions/renegotiation-info.ts';
import { TLS_EMPTY_RENEGOTIATION_INFO_SCSV } from '../../wire/registry/cipher-suites.ts';
import { EXTENSION_TYPES as X } from '../../wire/registry/extension-types.ts';
import { type TlsProtocolName, protocolName } from '../../wire/registry/versions.ts';
import { legacyHello } from '../hello-profiles.ts';
import { BestLegacyVersionCheck, type HelloJob, type OneJob, serverHelloJob } from './one-job.ts';
import { type VerdictFacts } from './active-input.ts';
import { describeRefusal } from './refusal.ts';

export type RenegotiationInfoFacts = VerdictFacts;

/**
 * Secure renegotiation (RFC 5746): a TLS ≤ 1.2 hello signalling support (the empty
 * renegotiation_info extension; TLS_EMPTY_RENEGOTIATION_INFO_SCSV for SSLv3, which has no
 * extensions) must get renegotiation_info back in the ServerHello. TLS 1.3 has no
 * renegotiation, so a TLS 1.3-only server is not applicable.
 */
export class RenegotiationInfoCheck extends BestLegacyVersionCheck<
  HelloJob,
  RenegotiationInfoFacts
> {
  protected plan(): OneJob<HelloJob> | undefined {
    if (this.target === undefined) return undefined;
    const { version, suites } = this.target;
    // RFC 5746 §3.4: the extension or the SCSV, not both.
    const hello =
      version === 'SSLv3'
        ? legacyHello(version, [...suites, TLS_EMPTY_RENEGOTIATION_INFO_SCSV], this.sni)
        : { ...legacyHello(version, suites, this.sni), renegotiationInfo: true };
    return { version, job: serverHelloJob(hello) };
  }

  protected notApplicable(): RenegotiationInfoFacts {
    return {
      verdict: 'not-applicable',
      reason: 'only TLS 1.3 is supported, which has no renegotiation',
    };
  }

  protected judge(o: HelloOutcome, version: TlsProtocolName): RenegotiationInfoFacts {
    if (o.kind !== 'hello') {
      return {
        verdict: 'inconclusive',
        reason: `a ${version} hello got no ServerHello: ${describeRefusal(o)}`,
        version,
      };
    }
    const spoken = protocolName(o.facts.version) ?? version;
    const ext = findExtension(o.serverHello.extensions ?? [], X.renegotiation_info);
    if (ext === undefined) {
      return {
        verdict: 'vulnerable',
        reason: `the ${spoken} ServerHello has no renegotiation_info although the hello signalled RFC 5746`,
        version,
      };
    }
    try {
      const renegotiated = decodeRenegotiationInfo(ext.data);
      if (renegotiated.length === 0) {
        return {
          verdict: 'not-vulnerable',
          reason: `the ${spoken} ServerHello acknowledges renegotiation_info (RFC 5746)`,
          version,
        };
      }
      return {
        verdict: 'inconclusive',
        reason: `the ServerHello of a first handshake carries ${renegotiated.length} bytes of renegotiation_info, which must be empty`,
        version,
      };
    } catch (err) {
      if (!isWiretightError(err)) throw err;
      return { verdict: 'inconclusive', reason: `renegotiation_info: ${err.message}`, version };
    }
  }
}
