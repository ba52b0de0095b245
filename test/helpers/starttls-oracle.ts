// The OpenSSL oracle of oracle.ts behind a STARTTLS upgrade: `openssl s_client -starttls
// <proto>` runs its own implementation of each protocol's dialogue, independent of ours.
import assert from 'node:assert/strict';
import type { ScanReport } from '../../src/scan/report.ts';
import { opensslNames } from './scan.ts';
import {
  ORACLE_VERSIONS,
  type Endpoint,
  type OracleVersion,
  TLS13_SUITES,
  allOpenSslSuiteNames,
  handshake,
} from './oracle.ts';

/** s_client's names for the protocols (`-starttls`), where they differ from ours. */
export type SClientStarttls = 'smtp' | 'imap' | 'postgres' | 'lmtp' | 'pop3' | 'ftp' | 'xmpp';

/** The versions and, per version, the suites (OpenSSL names) s_client completes a handshake with. */
export async function starttlsOracle(
  server: Endpoint,
  starttls: SClientStarttls,
): Promise<Map<OracleVersion, string[]>> {
  const extra = ['-starttls', starttls];
  const out = new Map<OracleVersion, string[]>();
  for (const version of ORACLE_VERSIONS) {
    if ((await handshake(server, version, { extra }))?.version !== version) continue;
    const candidates =
      version === 'TLSv1.3' ? [...TLS13_SUITES] : await allOpenSslSuiteNames(version);
    const accepted: string[] = [];
    // Four at a time: fast enough, and no flood for a forking server.
    for (let i = 0; i < candidates.length; i += 4) {
      const batch = candidates.slice(i, i + 4);
      const results = await Promise.all(
        batch.map((suite) =>
          handshake(
            server,
            version,
            version === 'TLSv1.3'
              ? { ciphersuites: suite, extra }
              : { cipher: `${suite}:@SECLEVEL=0`, extra },
          ),
        ),
      );
      batch.forEach((suite, j) => {
        if (results[j]?.suite === suite) accepted.push(suite);
      });
    }
    out.set(version, accepted.sort());
  }
  return out;
}

/** The scan's versions and suites equal what s_client -starttls completes handshakes with. */
export async function assertMatchesStarttlsOracle(
  server: Endpoint,
  report: ScanReport,
  starttls: SClientStarttls,
): Promise<void> {
  const oracle = await starttlsOracle(server, starttls);
  const scanned = Object.entries(report.protocols)
    .filter(([, on]) => on)
    .map(([name]) => name);
  assert.deepEqual(scanned, [...oracle.keys()], 'protocol versions');
  for (const [version, suites] of oracle) {
    assert.deepEqual(opensslNames(report, version).sort(), suites, `suites of ${version}`);
  }
}
