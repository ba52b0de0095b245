import assert from 'node:assert/strict';
import { type Socket, createServer } from 'node:net';
import { test } from 'node:test';
import { run } from '../run.ts';
import type { CliIo } from '../io.ts';

function capture(stderrIsTty = false): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdoutIsTty: false,
    stderrIsTty,
    env: {},
    stdout: (t: string) => {
      io.out += t;
    },
    stderr: (t: string) => {
      io.err += t;
    },
  };
  return io;
}

/** Loopback ports with nothing listening on them. */
async function closedPorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < n) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (!ports.includes(port)) ports.push(port);
  }
  return ports;
}

test('every fleet option has an example in --help', async () => {
  const io = capture();
  assert.equal(await run(['scan', '--help'], io), 0);
  const examples = io.out.slice(io.out.indexOf('Examples:'), io.out.indexOf('Exit codes:'));
  for (const option of [
    '--ports',
    '--all-ips',
    '--host-connections',
    '--target-timeout',
    '--deadline',
  ]) {
    assert.match(io.out, new RegExp(`^\\s+${option}\\b`, 'm'), `${option} is listed`);
    assert.match(
      examples,
      new RegExp(`\\$ wiretight scan .*${option}\\b`),
      `${option} has an example`,
    );
  }
  assert.match(examples, /\$ wiretight scan 10\.0\.0\.0\/28 --ports/);
});

test('fleet usage errors exit 2 with one line naming the problem', async () => {
  const cases: [string[], RegExp][] = [
    [['10.0.0.0/8', '--ports', '443,8443,5432'], /the fleet is 50,331,642 targets/],
    [['0.0.0.0/0'], /the fleet is 4,294,967,294 targets/],
    [['1.2.3.4/33'], /prefix length must be 0\.\.32/],
    [['10.0.0.5/24'], /host bits are set \(the block is 10\.0\.0\.0\/24\)/],
    [['127.0.0.1', '--ports', '0'], /0 is not a port/],
    [['127.0.0.1', '--ports', '1-70000'], /70000 is not a port/],
    [['127.0.0.1', '--ports', '9,,10'], /an empty item/],
    [['127.0.0.1', '--port', '443', '--ports', '443'], /give --port or --ports, not both/],
    [['127.0.0.1', '--host-connections', '0'], /expected an integer 1\.\.256/],
    [['127.0.0.1', '--target-timeout', '0'], /expected seconds, > 0 and ≤ 86400/],
    [['127.0.0.1', '--deadline', 'soon'], /expected seconds, > 0 and ≤ 604800/],
    [['127.0.0.1', '--deadline', '-5'], /expected seconds/],
  ];
  for (const [args, message] of cases) {
    const io = capture();
    assert.equal(await run(['scan', ...args], io), 2, args.join(' '));
    assert.match(io.err, message, args.join(' '));
    assert.equal(io.err.trim().split('\n').length <= 2, true, io.err);
  }
});

test('--ports gives a target without a port one scan per port; a named port is kept', async () => {
  const [p1, p2, p3] = await closedPorts(3);
  const io = capture();
  const code = await run(
    ['scan', '127.0.0.1', `localhost:${p3}`, '--ports', `${p1},${p2}`, '--format', 'ndjson'],
    io,
  );
  assert.equal(code, 3);
  const seen = io.out
    .trimEnd()
    .split('\n')
    .map(
      (l) => JSON.parse(l) as { target: { host: string; port: number }; error: { code: string } },
    )
    .map((r) => `${r.target.host}:${r.target.port} ${r.error.code}`)
    .sort();
  assert.deepEqual(
    seen,
    [
      `127.0.0.1:${p1} WT_ERR_SCAN_UNREACHABLE`,
      `127.0.0.1:${p2} WT_ERR_SCAN_UNREACHABLE`,
      `localhost:${p3} WT_ERR_SCAN_UNREACHABLE`,
    ].sort(),
  );
});

test('a range is a fleet even when it holds one address: json is an array', async () => {
  const [port] = await closedPorts(1);
  const io = capture();
  assert.equal(await run(['scan', '127.0.0.1/32', '--ports', String(port), '-f', 'json'], io), 3);
  const reports = JSON.parse(io.out) as { target: { host: string; sni: string | null } }[];
  assert.deepEqual(
    reports.map((r) => [r.target.host, r.target.sni]),
    [['127.0.0.1', null]],
  );
});

test('on a terminal the progress line counts up to the fleet size', async () => {
  const ports = await closedPorts(3);
  const io = capture(true);
  const code = await run(['scan', ...ports.map((p) => `127.0.0.1:${p}`), '-f', 'ndjson'], io);
  assert.equal(code, 3);
  const shown = [...io.err.matchAll(/\[(\d+)\/(\d+)\]/g)].map((m) => `${m[1]}/${m[2]}`);
  assert.deepEqual(shown, ['1/3', '2/3', '3/3']);
  assert.ok(io.err.endsWith('\r\x1b[2K'), 'the line is cleared at the end');
});

/**
 * A loopback server that answers every hello with a handshake_failure alert after
 * `delayMs`, counting the hellos waiting for their answer at once: a connection the client
 * still holds, whatever the order in which the server sees others close.
 */
async function refusingServer(delayMs: number) {
  let waiting = 0;
  let peak = 0;
  const alert = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]);
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => {
      peak = Math.max(peak, ++waiting);
      setTimeout(() => {
        waiting--;
        socket.end(alert);
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    peak: () => peak,
    /** Starts counting anew. */
    reset(): void {
      peak = 0;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('one target is held to --host-connections too, though it is not a fleet', async () => {
  const server = await refusingServer(40);
  try {
    const scan = async (...extra: string[]) => {
      const io = capture();
      const code = await run(
        ['scan', `127.0.0.1:${server.port}`, '--quick', '-f', 'json', ...extra],
        io,
      );
      const report = JSON.parse(io.out) as { error?: { code: string } };
      assert.equal(code, 3, io.err);
      assert.equal(report.error?.code, 'WT_ERR_SCAN_HANDSHAKE_REFUSED', 'one report, not an array');
    };
    await scan();
    assert.ok(server.peak() > 2, `peak ${server.peak()} with the default cap`);
    server.reset();
    await scan('--host-connections', '2');
    assert.ok(server.peak() <= 2, `peak ${server.peak()} with --host-connections 2`);
  } finally {
    await server.stop();
  }
});

test('one target under --target-timeout is stopped at its limit and reported as one report', async () => {
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as { port: number };
  try {
    const io = capture();
    const started = Date.now();
    const code = await run(
      ['scan', `127.0.0.1:${port}`, '--timeout', '60', '--target-timeout', '1', '-f', 'json'],
      io,
    );
    assert.equal(code, 3, io.err);
    assert.ok(
      Date.now() - started < 10_000,
      'ended at the time limit, not the connection deadline',
    );
    const report = JSON.parse(io.out) as { tls: boolean; error?: { code: string } };
    assert.equal(report.tls, false);
    assert.equal(report.error?.code, 'WT_ERR_SCAN_DEADLINE');
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});
