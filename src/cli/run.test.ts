import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { run } from './run.ts';
import type { CliIo } from './io.ts';

function capture(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdoutIsTty: false,
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

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('no arguments prints help and exits 0', async () => {
  const io = capture();
  assert.equal(await run([], io), 0);
  assert.match(io.out, /Usage: wiretight/);
  assert.match(io.out, /scan/);
});

test('scan --help shows examples and exit codes, exit 0', async () => {
  const io = capture();
  assert.equal(await run(['scan', '--help'], io), 0);
  assert.match(io.out, /Examples:/);
  assert.match(io.out, /Exit codes:/);
});

test('an unknown option is a usage error: exit 2, one line on stderr', async () => {
  const io = capture();
  assert.equal(await run(['scan', 'example.com', '--bogus'], io), 2);
  assert.match(io.err, /unknown option '--bogus'/);
});

test('a bad --timeout value is a usage error', async () => {
  const io = capture();
  assert.equal(await run(['scan', 'example.com', '--timeout', 'soon'], io), 2);
  assert.match(io.err, /expected seconds/);
});

test('an invalid target exits 2 with its code, without a stack trace', async () => {
  const io = capture();
  assert.equal(await run(['scan', 'not a host'], io), 2);
  assert.match(io.err, /^wiretight: .*\[WT_ERR_CLI_USAGE\]\n$/);
  assert.doesNotMatch(io.err, /at .*\.ts:\d+/);
});

test('an unreachable target exits 3; JSON output carries the typed error', async () => {
  const port = await closedPort();
  const io = capture();
  assert.equal(await run(['scan', `127.0.0.1:${port}`, '--format', 'json'], io), 3);
  const report = JSON.parse(io.out) as { tls: boolean; error: { code: string } };
  assert.equal(report.tls, false);
  assert.equal(report.error.code, 'WT_ERR_SCAN_UNREACHABLE');
});

test('a usage error under --format json is a JSON object on stdout', async () => {
  const io = capture();
  assert.equal(await run(['scan', 'bad host', '--format', 'json'], io), 2);
  assert.deepEqual(Object.keys(JSON.parse(io.out) as object), ['error']);
});
