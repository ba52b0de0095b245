// The active vulnerability probes (Heartbleed, CCS injection, ROBOT, compression,
// TLS_FALLBACK_SCSV, secure renegotiation) against a scripted server that can play each
// flaw or its fix, against the same server misbehaving after its flight, and against real
// patched stacks (openssl s_server, nginx, gnutls-serv) that must come out not vulnerable.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  type ActiveVulnerabilityFacts,
  gatherActiveVulnerabilities,
} from '../../src/scan/checks/active-vulnerabilities.ts';
import { type ActiveCheckInput, activeCheckInput } from '../../src/scan/checks/active-input.ts';
import { CipherSuiteCheck } from '../../src/scan/checks/cipher-suites.ts';
import { RobotCheck } from '../../src/scan/checks/robot.ts';
import type { Finding } from '../../src/scan/findings/index.ts';
import { activeVulnerabilityFindings } from '../../src/scan/rules/vulnerabilities-active.ts';
import { JobRunner } from '../../src/scan/runner.ts';
import type { TlsProtocolName } from '../../src/wire/registry/versions.ts';
import { type HostileServer, startHostileServer } from '../helpers/hostile-server.ts';
import { makeTestPki, type TestPki } from '../helpers/pki.ts';
import {
  type RunningServer,
  startGnutlsServ,
  startNginx,
  startOpenSslServer,
} from '../helpers/servers.ts';
import {
  ALL_FLAWS,
  type VulnerableServerOptions,
  startVulnerableServer,
} from '../helpers/vulnerable-server.ts';

const VERSIONS: readonly TlsProtocolName[] = ['TLSv1.3', 'TLSv1.2', 'TLSv1.1', 'TLSv1.0', 'SSLv3'];
const TIMEOUT_MS = 3000;

interface Probed {
  readonly facts: ActiveVulnerabilityFacts;
  readonly findings: readonly Finding[];
  /** Connections the six probes made (the suite enumeration before them not counted). */
  readonly connections: number;
}

function runnerFor(server: { port: number }): JobRunner {
  return new JobRunner(
    { host: 'localhost', address: '127.0.0.1', port: server.port },
    { timeoutMs: TIMEOUT_MS, maxConnections: 4 },
  );
}

/** What the engine knows before the probes: the accepted suites of every version. */
async function enumerate(runner: JobRunner): Promise<ActiveCheckInput> {
  const suites = new Map(
    await Promise.all(
      VERSIONS.map(
        async (v) => [v, await runner.drive(new CipherSuiteCheck(v, 'localhost'))] as const,
      ),
    ),
  );
  return activeCheckInput(suites, 'localhost');
}

/** Enumerates the suites, then runs the six probes the way a scan does. */
async function probe(server: { port: number }, quietMs?: number): Promise<Probed> {
  const runner = runnerFor(server);
  const input = await enumerate(runner);
  const before = runner.handshakes;
  const facts = await gatherActiveVulnerabilities(runner, input, quietMs);
  return {
    facts,
    findings: activeVulnerabilityFindings(facts),
    connections: runner.handshakes - before,
  };
}

function verdicts(facts: ActiveVulnerabilityFacts): Record<string, string> {
  return Object.fromEntries(Object.entries(facts).map(([k, f]) => [k, f.verdict]));
}

const ALL_VULNERABLE = {
  heartbleed: 'vulnerable',
  ccsInjection: 'vulnerable',
  robot: 'vulnerable',
  compression: 'vulnerable',
  fallbackScsv: 'vulnerable',
  renegotiation: 'vulnerable',
};
const NONE_VULNERABLE = {
  heartbleed: 'not-vulnerable',
  ccsInjection: 'not-vulnerable',
  robot: 'not-vulnerable',
  compression: 'not-vulnerable',
  fallbackScsv: 'not-vulnerable',
  renegotiation: 'not-vulnerable',
};

describe('a scripted server with each flaw, and without', () => {
  let pki: TestPki;
  const servers: HostileServer[] = [];
  const start = async (options: Partial<VulnerableServerOptions> = {}): Promise<HostileServer> => {
    const server = await startVulnerableServer({
      certificate: pki.rsa.der,
      key: readFileSync(pki.rsa.key),
      ...options,
    });
    servers.push(server);
    return server;
  };
  before(async () => {
    pki = await makeTestPki();
  });
  after(() => Promise.all(servers.map((s) => s.stop())));

  test('every flaw at once: six findings, ROBOT a strong oracle, no leaked bytes kept', async () => {
    const { facts, findings, connections } = await probe(await start(ALL_FLAWS));
    assert.deepEqual(verdicts(facts), ALL_VULNERABLE);
    assert.deepEqual(
      findings.map((f) => f.id),
      [
        'vuln.heartbleed',
        'vuln.ccs-injection',
        'vuln.robot',
        'vuln.compression',
        'vuln.no-fallback-scsv',
        'vuln.insecure-renegotiation',
      ],
    );
    assert.deepEqual(facts.heartbleed.response, { announced: 1024, carried: 1024 });
    assert.ok(!JSON.stringify(facts).includes('PRIVATE KEY'), 'leaked memory is never kept');
    assert.equal(facts.robot.oracle, 'strong');
    assert.equal(facts.robot.connections, 10);
    assert.deepEqual(facts.ccsInjection.reactions, ['silence', 'alert bad_record_mac']);
    assert.equal(facts.fallbackScsv.version, 'TLSv1.1');
    assert.equal(connections, 15, 'one connection per probe, ten for ROBOT');
  });

  test('the patched server: nothing vulnerable, no finding, five ROBOT connections', async () => {
    const { facts, findings, connections } = await probe(await start());
    assert.deepEqual(verdicts(facts), NONE_VULNERABLE);
    assert.deepEqual(findings, []);
    assert.equal(facts.heartbleed.heartbeatExtension, false);
    assert.equal(connections, 10);
  });

  const ALONE: [keyof ActiveVulnerabilityFacts, Partial<VulnerableServerOptions>, string][] = [
    ['heartbleed', { heartbeat: 'bleeds' }, 'vuln.heartbleed'],
    ['ccsInjection', { earlyCcs: 'accept' }, 'vuln.ccs-injection'],
    ['robot', { rsaPadding: 'weak-oracle' }, 'vuln.robot'],
    ['compression', { compression: true }, 'vuln.compression'],
    ['fallbackScsv', { fallbackScsv: 'ignore' }, 'vuln.no-fallback-scsv'],
    ['renegotiation', { renegotiationInfo: false }, 'vuln.insecure-renegotiation'],
  ];
  for (const [key, flaw, id] of ALONE) {
    test(`${key} alone: only ${id}`, async () => {
      const { facts, findings } = await probe(await start(flaw));
      assert.deepEqual(verdicts(facts), { ...NONE_VULNERABLE, [key]: 'vulnerable' });
      assert.deepEqual(
        findings.map((f) => f.id),
        [id],
      );
    });
  }

  test('a weak oracle is told from a strong one', async () => {
    const { facts } = await probe(await start({ rsaPadding: 'weak-oracle' }));
    assert.equal(facts.robot.oracle, 'weak');
    assert.equal(facts.robot.reactions?.valid, 'alert bad_record_mac');
    assert.equal(facts.robot.reactions?.['no-zero-separator'], 'alert handshake_failure');
  });

  test('a patched heartbeat echoes the extension and drops the lying request', async () => {
    const { facts } = await probe(await start({ heartbeat: 'patched' }), 300);
    assert.equal(facts.heartbleed.verdict, 'not-vulnerable');
    assert.equal(facts.heartbleed.heartbeatExtension, true);
    assert.match(facts.heartbleed.reason, /ignored it/);
  });

  test('ROBOT differences that do not repeat are inconclusive, after ten connections', async () => {
    const server = await start({ rsaPadding: 'erratic' });
    const runner = runnerFor(server);
    const facts = await runner.drive(
      new RobotCheck({ sni: 'localhost', accepted: { 'TLSv1.2': [0x009c] } }),
    );
    assert.equal(facts.verdict, 'inconclusive');
    assert.equal(facts.connections, 10);
    assert.ok((facts.inconsistent?.length ?? 0) > 0);
  });

  test('hostile: a heartbeat response with an absurd length is inconclusive, not a leak', async () => {
    const { facts } = await probe(
      await start({ heartbeat: 'bleeds', afterFlight: 'absurd-heartbeat' }),
      300,
    );
    assert.equal(facts.heartbleed.verdict, 'inconclusive');
    assert.match(facts.heartbleed.reason, /announces 65535 payload bytes but carries 4/);
  });

  test('hostile: a truncated record after the flight is inconclusive for every follow-up probe', async () => {
    const { facts } = await probe(
      await start({ heartbeat: 'bleeds', afterFlight: 'truncated-record' }),
      300,
    );
    assert.equal(facts.heartbleed.verdict, 'inconclusive');
    assert.equal(facts.ccsInjection.verdict, 'inconclusive');
    assert.equal(facts.robot.verdict, 'inconclusive');
    assert.match(facts.robot.reason, /record cut short/);
    assert.equal(
      facts.robot.connections,
      1,
      'ROBOT stops at the first probe that cannot be judged',
    );
  });

  test('hostile: a reset mid-probe is the server hanging up, the same for every block', async () => {
    const { facts, findings } = await probe(
      await start({ heartbeat: 'bleeds', afterFlight: 'reset' }),
      300,
    );
    assert.equal(facts.heartbleed.verdict, 'not-vulnerable');
    assert.equal(facts.ccsInjection.verdict, 'not-vulnerable');
    assert.match(facts.ccsInjection.reason, /connection reset/);
    assert.equal(facts.robot.verdict, 'not-vulnerable');
    assert.deepEqual(findings, []);
  });

  test('hostile: silence after the flight proves nothing for CCS injection', async () => {
    const { facts } = await probe(await start({ afterFlight: 'silent' }), 300);
    assert.equal(facts.ccsInjection.verdict, 'inconclusive');
    assert.deepEqual(facts.ccsInjection.reactions, ['silence', 'silence']);
    assert.equal(facts.robot.verdict, 'not-vulnerable');
    assert.equal(facts.robot.reactions?.valid, 'silence');
  });

  test(
    'hostile: a server that never answers leaves every probe inconclusive, within the deadlines',
    { timeout: 30_000 },
    async () => {
      const silent = await startHostileServer('silent');
      servers.push(silent);
      const runner = new JobRunner(
        { host: 'localhost', address: '127.0.0.1', port: silent.port },
        { timeoutMs: 500, maxConnections: 8 },
      );
      const facts = await gatherActiveVulnerabilities(runner, {
        sni: 'localhost',
        accepted: { 'TLSv1.2': [0x009c], 'TLSv1.1': [0x002f] },
      });
      for (const f of Object.values(facts)) {
        assert.equal(f.verdict, 'inconclusive');
        assert.match(f.reason, /timeout/);
      }
      assert.equal(runner.handshakes, 6);
    },
  );
});

describe('real patched servers come out not vulnerable', () => {
  const running: RunningServer[] = [];
  before(() => makeTestPki());
  after(() => Promise.all(running.map((s) => s.stop())));

  test('openssl s_server, TLS 1.0 to 1.3 with RSA key exchange: no finding', async () => {
    const server = await startOpenSslServer(['-cipher', 'ALL:@SECLEVEL=0']);
    running.push(server);
    const { facts, findings } = await probe(server);
    assert.deepEqual(verdicts(facts), NONE_VULNERABLE);
    assert.deepEqual(findings, []);
    assert.match(facts.ccsInjection.reason, /alert unexpected_message/);
    assert.equal(facts.fallbackScsv.highest, 'TLSv1.3');
    assert.equal(facts.robot.reactions?.valid, 'alert bad_record_mac');
  });

  test('nginx with RSA key exchange: no finding', async () => {
    const server = await startNginx({
      protocols: 'TLSv1 TLSv1.1 TLSv1.2 TLSv1.3',
      ciphers: 'ALL:@SECLEVEL=0',
    });
    running.push(server);
    const { facts, findings } = await probe(server);
    assert.deepEqual(verdicts(facts), NONE_VULNERABLE);
    assert.deepEqual(findings, []);
  });

  test('gnutls-serv with heartbeats on: it echoes the extension and does not bleed', async () => {
    const server = await startGnutlsServ('NORMAL:+RSA:+VERS-TLS1.0:+VERS-TLS1.1', {
      args: ['--heartbeat'],
    });
    running.push(server);
    const { facts, findings } = await probe(server);
    assert.deepEqual(verdicts(facts), NONE_VULNERABLE);
    assert.equal(facts.heartbleed.heartbeatExtension, true);
    assert.deepEqual(findings, []);
  });

  test('gnutls-serv with safe renegotiation disabled: the one real insecure-renegotiation finding', async () => {
    const server = await startGnutlsServ('NORMAL:+RSA:%DISABLE_SAFE_RENEGOTIATION');
    running.push(server);
    const { facts, findings } = await probe(server);
    assert.deepEqual(verdicts(facts), { ...NONE_VULNERABLE, renegotiation: 'vulnerable' });
    assert.deepEqual(
      findings.map((f) => f.id),
      ['vuln.insecure-renegotiation'],
    );
  });

  test('a TLS 1.3-only s_server: nothing to probe in the clear, no connection', async () => {
    const server = await startOpenSslServer(['-tls1_3']);
    running.push(server);
    const { facts, connections } = await probe(server);
    for (const f of Object.values(facts)) assert.equal(f.verdict, 'not-applicable');
    assert.equal(connections, 0);
  });

  test('a TLS 1.2-only s_server without RSA key exchange: no fallback to test, no ROBOT', async () => {
    const server = await startOpenSslServer(['-tls1_2', '-cipher', 'ECDHE+AESGCM']);
    running.push(server);
    const { facts, findings } = await probe(server);
    assert.equal(facts.fallbackScsv.verdict, 'not-applicable');
    assert.equal(facts.robot.verdict, 'not-applicable');
    assert.equal(facts.ccsInjection.verdict, 'not-vulnerable');
    assert.deepEqual(findings, []);
  });
});
