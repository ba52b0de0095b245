// `wiretight scan` over whole fleets, as a user runs it: a CIDR range with --ports, names
// on every address (--all-ips), the per-host connection cap, and the time limits.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { atExit } from '../helpers/cleanup.ts';
import { exec, killGroup } from '../helpers/exec.ts';
import { startHostileServer, type HostileServer } from '../helpers/hostile-server.ts';
import { makeTestPki } from '../helpers/pki.ts';
import { acceptsTcp } from '../helpers/process.ts';
import { assertValidScanReport } from '../helpers/schema.ts';
import { startOpenSslServer, type RunningServer } from '../helpers/servers.ts';
import { requireProgram } from '../helpers/tools.ts';

const main = fileURLToPath(new URL('../../dist/bin/main.js', import.meta.url));

const wiretight = (args: string[], timeoutMs = 60_000) =>
  exec(process.execPath, [main, 'scan', '--quick', '--no-fetch', ...args], { timeoutMs });

interface Report {
  target: { host: string; port: number; ip: string; sni: string | null };
  tls: boolean;
  error?: { code: string; message: string };
}

const ndjson = (text: string): Report[] =>
  text
    .trimEnd()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Report);

/**
 * `openssl s_server` on one loopback address other than 127.0.0.1 (Linux routes all of
 * 127.0.0.0/8 to lo), which the shared launcher cannot wait for: it probes 127.0.0.1.
 */
async function sServerOn(address: string, cert: string, key: string) {
  const child = spawn(
    requireProgram('openssl'),
    ['s_server', '-accept', `${address}:0`, '-cert', cert, '-key', key, '-tls1_2'],
    // stdin stays open: s_server stops at EOF. Own process group, for stop().
    { stdio: ['pipe', 'pipe', 'pipe'], detached: true },
  );
  const unregister = atExit(() => killGroup(child.pid, 'SIGKILL'));
  const stop = async () => {
    killGroup(child.pid, 'SIGKILL');
    unregister();
  };
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const started = Date.now();
  for (;;) {
    const port = new RegExp(`^ACCEPT ${address.replaceAll('.', '\\.')}:(\\d+)$`, 'm').exec(
      output,
    )?.[1];
    if (port !== undefined && (await acceptsTcp(address, Number(port)))) {
      child.unref();
      for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as Socket).unref();
      return { port: Number(port), stop };
    }
    if (Date.now() - started > 10_000 || child.exitCode !== null) {
      await stop();
      throw new Error(`s_server on ${address} did not start: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Listeners on several loopback ports that count the sockets open across all of them and
 * remember the peak. Each connection is read, held a little, then closed without a word:
 * the scanner records a refusal and tries the next version, so it opens many.
 */
async function countingServers(count: number, holdMs: number) {
  let open = 0;
  let peak = 0;
  let total = 0;
  const sockets = new Set<Socket>();
  const servers: Server[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer((socket) => {
      open++;
      total++;
      peak = Math.max(peak, open);
      sockets.add(socket);
      // Closed from here when this side closes it: its 'close' event can come after the
      // client, told by the FIN, has already opened the next connection.
      let counted = true;
      const closed = (): void => {
        if (counted) open--;
        counted = false;
      };
      socket.on('error', () => undefined);
      socket.once('end', closed);
      socket.once('close', () => {
        closed();
        sockets.delete(socket);
      });
      socket.once('data', () =>
        setTimeout(() => {
          closed();
          socket.destroy();
        }, holdMs),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
  }
  return {
    ports: servers.map((s) => (s.address() as { port: number }).port),
    peak: () => peak,
    total: () => total,
    reset: () => {
      peak = open;
      total = 0;
    },
    stop: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}

describe('wiretight scan over whole fleets', () => {
  let a: Awaited<ReturnType<typeof sServerOn>>;
  let b: Awaited<ReturnType<typeof sServerOn>>;
  let local: RunningServer;
  before(async () => {
    const { rsa } = await makeTestPki();
    a = await sServerOn('127.0.0.5', rsa.cert, rsa.key);
    b = await sServerOn('127.0.0.6', rsa.cert, rsa.key);
    local = await startOpenSslServer(['-tls1_2']);
  });
  after(() => Promise.all([a.stop(), b.stop(), local.stop()]));

  test('a /30 with --ports: both hosts on both ports, network and broadcast left out', async () => {
    const r = await wiretight(['127.0.0.4/30', '--ports', `${a.port},${b.port}`, '-f', 'ndjson']);
    // Each server listens on one address only: the other two pairs are refused.
    assert.equal(r.code, 3, r.stderr);
    const reports = ndjson(r.stdout);
    for (const report of reports) assertValidScanReport(report);
    const seen = reports.map((x) => `${x.target.ip}:${x.target.port} ${x.tls}`).sort();
    assert.deepEqual(
      seen,
      [
        `127.0.0.5:${a.port} true`,
        `127.0.0.5:${b.port} false`,
        `127.0.0.6:${a.port} false`,
        `127.0.0.6:${b.port} true`,
      ].sort(),
    );
    for (const report of reports) {
      assert.equal(report.target.sni, null, 'no SNI for an address');
      assert.equal(report.target.host, report.target.ip);
      if (!report.tls) assert.equal(report.error?.code, 'WT_ERR_SCAN_UNREACHABLE');
    }
  });

  test('a range in a targets file takes the line options; a range too large is a usage error', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const list = join(mkdtempSync(join(tmpdir(), 'wiretight-reach-')), 'fleet.txt');
    writeFileSync(list, `127.0.0.4/31:${a.port}  sni=internal.example  # .4 and .5\n`);
    const r = await wiretight(['--targets', list, '-f', 'json']);
    assert.equal(r.code, 3, r.stderr);
    const reports = JSON.parse(r.stdout) as Report[];
    assert.deepEqual(reports.map((x) => [x.target.ip, x.tls, x.target.sni]).sort(), [
      ['127.0.0.4', false, 'internal.example'],
      ['127.0.0.5', true, 'internal.example'],
    ]);

    const big = await wiretight(['10.0.0.0/8', '--ports', '443,8443,5432']);
    assert.equal(big.code, 2);
    assert.match(
      big.stderr,
      /the fleet is 50,331,642 targets \(10\.0\.0\.0\/8 is 16,777,214 addresses × 3 ports\)/,
    );
    for (const [args, message] of [
      [['1.2.3.4/33'], /prefix length must be 0\.\.32/],
      [['999.1.1.1/8'], /"999\.1\.1\.1" is not an IPv4 or IPv6 address/],
      [['fd00::/129'], /prefix length must be 0\.\.128/],
      [['127.0.0.1', '--ports', '0'], /0 is not a port/],
      [['127.0.0.1', '--ports', '5-3'], /runs backwards/],
      [['127.0.0.1', '--ports', '65536'], /65536 is not a port/],
      [['127.0.0.1', '--port', '443', '--ports', '443'], /give --port or --ports, not both/],
    ] as const) {
      const bad = await wiretight([...args]);
      assert.equal(bad.code, 2, args.join(' '));
      assert.match(bad.stderr, message);
      assert.doesNotMatch(bad.stderr, /\n\s+at /);
    }
  });

  test('--all-ips scans localhost on each of its addresses, with the name as host and SNI', async () => {
    const addresses = [
      ...new Set((await lookup('localhost', { all: true })).map((x) => x.address)),
    ];
    const r = await wiretight([`localhost:${local.port}`, '--all-ips', '-f', 'ndjson']);
    const reports = ndjson(r.stdout);
    assert.deepEqual(reports.map((x) => x.target.ip).sort(), [...addresses].sort());
    for (const report of reports) {
      assertValidScanReport(report);
      assert.equal(report.target.host, 'localhost');
      assert.equal(report.target.sni, 'localhost');
      // s_server listens on 127.0.0.1 only: ::1, where the machine has it, is refused.
      assert.equal(report.tls, report.target.ip === '127.0.0.1');
    }
    assert.equal(r.code, addresses.length === 1 ? 0 : 3, r.stderr);
  });
});

describe('the per-host connection cap', () => {
  let counting: Awaited<ReturnType<typeof countingServers>>;
  before(async () => {
    counting = await countingServers(4, 100);
  });
  after(() => counting.stop());

  test('targets sharing an address never have more than --host-connections open to it', async () => {
    // Five targets, one address: four ports, and one of them named twice.
    const targets = [
      ...counting.ports.map((p) => `127.0.0.1:${p}`),
      `localhost:${counting.ports[0]}`,
    ];
    const capped = await wiretight([
      ...targets,
      '--concurrency',
      '5',
      '--host-connections',
      '3',
      '-f',
      'ndjson',
    ]);
    assert.equal(capped.code, 3, capped.stderr);
    assert.equal(ndjson(capped.stdout).length, 5);
    assert.ok(counting.total() >= 10, `${counting.total()} connections in all`);
    assert.ok(counting.peak() <= 3, `peak ${counting.peak()} with --host-connections 3`);
    assert.ok(counting.peak() >= 2, 'the cap was used, not just one connection at a time');

    // The same fleet with a wide cap opens many more at once: the cap above is what held it.
    counting.reset();
    const wide = await wiretight([
      ...targets,
      '--concurrency',
      '5',
      '--host-connections',
      '40',
      '-f',
      'ndjson',
    ]);
    assert.equal(wide.code, 3, wide.stderr);
    assert.ok(counting.peak() > 3, `peak ${counting.peak()} with --host-connections 40`);
  });
});

describe('time limits', () => {
  const silent: HostileServer[] = [];
  before(async () => {
    for (let i = 0; i < 6; i++) silent.push(await startHostileServer('silent'));
  });
  after(() => Promise.all(silent.map((s) => s.stop())));

  test('--target-timeout stops a silent target and reports WT_ERR_SCAN_DEADLINE', async () => {
    // Each connection may wait a minute; the target gets one second in all.
    const r = await wiretight(
      [`127.0.0.1:${silent[0]?.port}`, '--timeout', '60', '--target-timeout', '1', '-f', 'json'],
      30_000,
    );
    assert.equal(r.timedOut, false, 'the scan ended at its time limit');
    assert.equal(r.code, 3, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assertValidScanReport(report);
    assert.equal(report.tls, false);
    assert.equal(report.error?.code, 'WT_ERR_SCAN_DEADLINE');
    assert.match(report.error?.message ?? '', /did not finish within its time limit of 1 s/);
  });

  test('--deadline stops the run: the running scans are reported, the rest not scanned, exit 3', async () => {
    const r = await wiretight(
      [
        ...silent.map((s) => `127.0.0.1:${s.port}`),
        '--timeout',
        '60',
        '--concurrency',
        '2',
        // All six share 127.0.0.1: room for two targets there at once.
        '--host-connections',
        '16',
        '--deadline',
        '1',
        '-f',
        'ndjson',
      ],
      30_000,
    );
    assert.equal(r.timedOut, false, 'the run ended at its deadline');
    assert.equal(r.code, 3, r.stderr);
    const reports = ndjson(r.stdout);
    assert.equal(reports.length, 2, 'the two scans in flight, written');
    for (const report of reports) {
      assertValidScanReport(report);
      assert.equal(report.error?.code, 'WT_ERR_SCAN_DEADLINE');
      assert.match(report.error?.message ?? '', /the run's deadline was reached/);
    }
    assert.match(
      r.stderr,
      /the --deadline of 1 s was reached: 2 scans stopped, 4 targets not scanned/,
    );

    const text = await wiretight(
      [...silent.map((s) => `127.0.0.1:${s.port}`), '--timeout', '60', '--deadline', '1'],
      30_000,
    );
    assert.equal(text.code, 3);
    assert.match(text.stdout, /Summary: \d targets?, 0 speaking TLS/);
  });
});
