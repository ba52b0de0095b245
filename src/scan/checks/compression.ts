import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import { type TlsProtocolName, protocolName } from '../../wire/registry/versions.ts';
import { legacyHello } from '../hello-profiles.ts';
import { BestLegacyVersionCheck, type HelloJob, type OneJob, serverHelloJob } from './one-job.ts';
import { type VerdictFacts } from './active-input.ts';
import { describeRefusal } from './refusal.ts';

/** RFC 3749: the DEFLATE compression method; 0 is null (no compression). */
export const COMPRESSION_DEFLATE = 1;

export interface CompressionFacts extends VerdictFacts {
  /** The compression method the server chose when DEFLATE was offered first. */
  readonly method?: number;
}

/**
 * CRIME (CVE-2012-4929) needs TLS-level compression: one TLS ≤ 1.2 hello offering DEFLATE
 * before null, read to the ServerHello. TLS 1.3 has no compression to offer.
 */
export class CompressionCheck extends BestLegacyVersionCheck<HelloJob, CompressionFacts> {
  protected plan(): OneJob<HelloJob> | undefined {
    if (this.target === undefined) return undefined;
    const { version, suites } = this.target;
    return {
      version,
      job: serverHelloJob({
        ...legacyHello(version, suites, this.sni),
        compressionMethods: [COMPRESSION_DEFLATE, 0],
      }),
    };
  }

  protected notApplicable(): CompressionFacts {
    return {
      verdict: 'not-applicable',
      reason: 'no TLS 1.2 or older version is supported; TLS 1.3 has no compression',
    };
  }

  protected judge(o: HelloOutcome, version: TlsProtocolName): CompressionFacts {
    if (o.kind !== 'hello') {
      return {
        verdict: 'inconclusive',
        reason: `a ${version} hello offering DEFLATE got no ServerHello: ${describeRefusal(o)}`,
        version,
      };
    }
    const method = o.facts.compressionMethod;
    const spoken = protocolName(o.facts.version) ?? version;
    if (method === COMPRESSION_DEFLATE) {
      return {
        verdict: 'vulnerable',
        reason: `the server chose DEFLATE compression in ${spoken}`,
        version,
        method,
      };
    }
    if (method === 0) {
      return {
        verdict: 'not-vulnerable',
        reason: 'the server chose no compression although DEFLATE was offered first',
        version,
        method,
      };
    }
    return {
      verdict: 'inconclusive',
      reason: `the server chose compression method ${method}, which was not offered`,
      version,
      method,
    };
  }
}
