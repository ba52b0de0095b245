import type { EarlyDataFacts } from '../checks/early-data.ts';
import { type Finding, finding } from '../findings/index.ts';

/**
 * vuln.early-data: the server accepted 0-RTT data on a resumed session. Early data has no
 * protection against replay from TLS itself (RFC 8446 §8), so whoever records it can send
 * it again; only the application can tell a replay apart.
 */
export function earlyDataFindings(facts: EarlyDataFacts | undefined): Finding[] {
  if (facts?.earlyDataAccepted !== true) return [];
  const size = facts.maxEarlyDataSize;
  const limit =
    size === undefined
      ? 'although its ticket did not advertise early data (no max_early_data_size)'
      : `and its tickets allow up to ${size} bytes of it (max_early_data_size ${size})`;
  return [
    finding('vuln.early-data', {
      evidence: `A resumption with the server's own ticket sent 0-RTT early data and the server accepted it (early_data in EncryptedExtensions), ${limit}: that data can be replayed by anyone who records it.`,
      details: {
        earlyDataAccepted: true,
        ...(size === undefined ? {} : { maxEarlyDataSize: size }),
        ...(facts.ticketLifetimeSec === undefined
          ? {}
          : { ticketLifetimeSec: facts.ticketLifetimeSec }),
      },
    }),
  ];
}
