import { type Finding, finding } from '../findings/index.ts';
import type { SessionFacts } from '../session-facts.ts';

/** Client-initiated renegotiation; a refusal, TLS 1.3 only or an unclear answer is no finding. */
export function sessionFindings(facts: SessionFacts): Finding[] {
  const renegotiation = facts.clientRenegotiation;
  if (renegotiation.result !== 'accepted') return [];
  const version = renegotiation.version ?? 'TLS';
  return [
    finding('vuln.client-renegotiation', {
      evidence: `The server completed a renegotiation the client started on an established ${version} connection.`,
      details: { protocol: version },
    }),
  ];
}
