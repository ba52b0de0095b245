// Servers that misbehave: every one must end in a typed error or a tls:false report within
// the deadline, never a crash or a hang.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import {
  startHostileServer,
  type HostileBehaviour,
  type HostileServer,
} from '../helpers/hostile-server.ts';
import { scan } from '../helpers/scan.ts';
import { assertValidGrabReport } from '../helpers/schema.ts';
import { grabEndpoint } from '../../src/scan/grab/grab.ts';

const TIMEOUT_MS = 1000;

/** behaviour → the error code the report must carry. */
const CASES: [HostileBehaviour, string][] = [
  ['garbage', 'WT_ERR_SCAN_NOT_TLS'],
  ['http', 'WT_ERR_SCAN_NOT_TLS'],
  ['smtp-banner', 'WT_ERR_SCAN_NOT_TLS'],
  ['truncated-record', 'WT_ERR_SCAN_HANDSHAKE_REFUSED'],
  ['huge-length', 'WT_ERR_WIRE_TOO_LARGE'],
  ['huge-record', 'WT_ERR_WIRE_TOO_LARGE'],
  ['slow', 'WT_ERR_PROBE_TIMEOUT'],
  ['silent', 'WT_ERR_PROBE_TIMEOUT'],
  ['reset', 'WT_ERR_SCAN_HANDSHAKE_REFUSED'],
  ['close', 'WT_ERR_SCAN_HANDSHAKE_REFUSED'],
];

describe('hostile servers', () => {
  const servers: HostileServer[] = [];
  after(() => Promise.all(servers.map((s) => s.stop())));

  for (const [behaviour, code] of CASES) {
    test(`${behaviour}: ${code}, tls false, within the deadline`, async () => {
      const server = await startHostileServer(behaviour, { intervalMs: 200 });
      servers.push(server);
      const started = performance.now();
      const report = await scan(server, { timeoutMs: TIMEOUT_MS });
      const elapsed = performance.now() - started;
      assert.equal(report.tls, false);
      assert.equal(report.error?.code, code, report.error?.message);
      // Phases run one deadline at most each; three phases bound the whole scan.
      assert.ok(elapsed < 3 * TIMEOUT_MS + 500, `took ${elapsed.toFixed(0)} ms`);
    });
  }

  test('an HTTP server is shown for what it said', async () => {
    const server = await startHostileServer('http');
    servers.push(server);
    const report = await scan(server, { timeoutMs: TIMEOUT_MS });
    assert.match(report.plaintext?.firstBytesText ?? '', /^HTTP\/1\.1 400/);
    assert.equal(report.handshakes, 1);
  });
});

describe('hostile servers, --grab', () => {
  const servers: HostileServer[] = [];
  after(() => Promise.all(servers.map((s) => s.stop())));

  for (const [behaviour, code] of CASES) {
    test(`${behaviour}: ${code}, tls false, within the deadline`, async () => {
      const server = await startHostileServer(behaviour, { intervalMs: 200 });
      servers.push(server);
      const started = performance.now();
      const report = await grabEndpoint(server, { timeoutMs: TIMEOUT_MS, fetcher: null });
      const elapsed = performance.now() - started;
      assertValidGrabReport(report);
      assert.equal(report.tls, false);
      assert.equal(report.error?.code, code, report.error?.message);
      // Two hellos and a PostgreSQL SSLRequest at most, one deadline each.
      assert.ok(elapsed < 3 * TIMEOUT_MS + 500, `took ${elapsed.toFixed(0)} ms`);
    });
  }
});
