import { isUnparsed } from '../pki/certificate-facts.ts';
import type { ProfileInput } from './profiles/index.ts';
import type { ReportFacts } from './report.ts';

const DAY_MS = 86_400_000;

/**
 * What a Mozilla profile is checked against, read from a report. HSTS and OCSP stapling
 * stay null ("not checked", no finding) when the scan did not gather them.
 */
export function profileInputFrom(facts: ReportFacts): ProfileInput {
  const leaf = facts.certificateChain[0];
  return {
    protocols: facts.protocols,
    suites: facts.cipherSuites,
    serverPreference: facts.serverPreference,
    groups: facts.groups,
    dhePrimeBits: facts.dhePrimeBits,
    certificate:
      leaf === undefined || isUnparsed(leaf) || leaf.publicKey.bits === null
        ? null
        : {
            keyType: leaf.publicKey.type,
            keyBits: leaf.publicKey.bits,
            ...(leaf.publicKey.curve === undefined ? {} : { curve: leaf.publicKey.curve }),
            signatureAlgorithm: leaf.signatureAlgorithm,
            lifetimeDays: (Date.parse(leaf.notAfter) - Date.parse(leaf.notBefore)) / DAY_MS,
          },
    hstsMaxAge: hstsMaxAge(facts),
    ocspStapled: facts.session?.ocspStapling.stapled ?? null,
  };
}

/** null when HTTP was not checked (or is not spoken); `absent` when HTTPS had no valid HSTS. */
function hstsMaxAge(facts: ReportFacts): ProfileInput['hstsMaxAge'] {
  const http = facts.http;
  if (http === undefined || !http.speaksHttp || http.https.hsts === undefined) return null;
  const hsts = http.https.hsts;
  return hsts !== null && hsts.valid && hsts.maxAge !== undefined ? hsts.maxAge : 'absent';
}
