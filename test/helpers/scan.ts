// Runs the scanner in-process (the e2e tests run the built CLI) with a tight per-connection
// deadline so a test against a misbehaving server cannot take long.
import { scanEndpoint } from '../../src/scan/engine.ts';
import type { ScanReport } from '../../src/scan/report.ts';
import { cipherSuiteByHex } from '../../src/wire/registry/cipher-suites.ts';
import { assertValidScanReport } from './schema.ts';

export type { ScanReport };

export async function scan(
  server: { host: string; port: number },
  options: { sni?: string | null; timeoutMs?: number } = {},
): Promise<ScanReport> {
  const report = await scanEndpoint(
    { host: server.host, port: server.port },
    {
      timeoutMs: options.timeoutMs ?? 3000,
      ...(options.sni === undefined ? {} : { sni: options.sni }),
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
