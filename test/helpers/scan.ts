import assert from 'node:assert/strict';
// Runs the scanner in-process (the e2e tests run the built CLI) with a tight per-connection
// deadline so a test against a misbehaving server cannot take long.
import { type ScanOptions, scanEndpoint } from '../../src/scan/engine.ts';
import type { ScanReport } from '../../src/scan/report.ts';
import {
  type CertificateFacts,
  type ChainEntry,
  isUnparsed,
} from '../../src/pki/certificate-facts.ts';
import { cipherSuiteByHex } from '../../src/wire/registry/cipher-suites.ts';
import { assertValidScanReport } from './schema.ts';
import { makeTestPki } from './pki.ts';
import { TrustStore, readCaFile } from '../../src/pki/index.ts';
import {
  TLS13_SUITES,
  acceptedByOpenSsl,
  allOpenSslSuiteNames,
  supportedVersionsByOpenSsl,
} from './oracle.ts';

export type { ScanReport };

let testTrust: Promise<TrustStore> | undefined;

/** The trust a user of the test PKI would give with `--ca root.pem`: its root, nothing else. */
export function testPkiTrust(): Promise<TrustStore> {
  testTrust ??= makeTestPki().then(
    async (pki) =>
      new TrustStore({ files: [await readCaFile(pki.root.cert)], mozilla: false, system: false }),
  );
  return testTrust;
}

/**
 * Scans in-process, trusting the test PKI's root (as `--ca` would) and fetching nothing a
 * certificate points to unless the test says otherwise.
 */
export async function scan(
  server: { host: string; port: number },
  options: Pick<
    ScanOptions,
    | 'sni'
    | 'profile'
    | 'timeoutMs'
    | 'httpPort'
    | 'quick'
    | 'trust'
    | 'fetcher'
    | 'checkRevocation'
    | 'starttls'
    | 'clients'
  > = {},
): Promise<ScanReport> {
  const report = await scanEndpoint(
    { host: server.host, port: server.port },
    {
      trust: await testPkiTrust(),
      fetcher: null,
      ...options,
      timeoutMs: options.timeoutMs ?? 3000,
    },
  );
  assertValidScanReport(report);
  return report;
}

/** The OpenSSL names of the suites a report lists for a version (what the oracle speaks). */
export function opensslNames(
  report: ScanReport,
  version: keyof ScanReport['cipherSuites'],
): string[] {
  return (report.cipherSuites[version] ?? []).map((s) => {
    const name = cipherSuiteByHex(s.id)?.opensslName;
    if (name === undefined || name === null)
      throw new Error(`no OpenSSL name for ${s.id} ${s.name}`);
    return name;
  });
}

/**
 * The scan's protocol versions equal the OpenSSL oracle's, and for every version its suites
 * equal the oracle's among the suites the local OpenSSL can offer. Suites beyond those must
 * be named in `beyondOpenSsl` (and proved by another oracle, such as gnutls-cli).
 */
export async function assertMatchesOracle(
  server: { host: string; port: number },
  report: ScanReport,
  beyondOpenSsl: readonly string[] = [],
): Promise<void> {
  const versions = await supportedVersionsByOpenSsl(server);
  const scanned = Object.entries(report.protocols)
    .filter(([, on]) => on)
    .map(([name]) => name);
  assert.deepEqual(scanned, versions, 'protocol versions');
  const sorted = (xs: readonly string[]): string[] => [...xs].sort();
  for (const version of versions) {
    const candidates =
      version === 'TLSv1.3' ? [...TLS13_SUITES] : await allOpenSslSuiteNames(version);
    const oracle = await acceptedByOpenSsl(server, version, candidates);
    const names = opensslNames(report, version);
    assert.deepEqual(
      sorted(names.filter((n) => candidates.includes(n))),
      sorted(oracle),
      `suites of ${version}`,
    );
    const unexplained = names.filter((n) => !candidates.includes(n) && !beyondOpenSsl.includes(n));
    assert.deepEqual(unexplained, [], `suites of ${version} no oracle confirmed`);
  }
}

/** The facts of a chain entry, failing the test when OpenSSL could not parse it. */
export function parsed(entry: ChainEntry | undefined): CertificateFacts {
  assert.ok(entry !== undefined, 'no certificate at this position');
  assert.ok(
    !isUnparsed(entry),
    `certificate did not parse: ${'parseError' in entry ? entry.parseError : ''}`,
  );
  return entry;
}
