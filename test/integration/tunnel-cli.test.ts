// `wiretight tunnel` from the command line: usage errors in-process, and a real process
// (the TypeScript entry point run by Node 24) that serves curl, reloads on SIGHUP and
// drains on SIGTERM.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/run.ts';
import { exec } from '../helpers/exec.ts';
import { type LeafFiles, type TunnelPki, makeTunnelPki } from '../helpers/tunnel-pki.ts';
import { type Peer, startHttpServer, waitFor } from '../helpers/tunnel.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
let pki: TunnelPki;
let serverLeaf: LeafFiles;
let clientLeaf: LeafFiles;
let http: Peer;

before(async () => {
  pki = await makeTunnelPki();
  const names = [
    { type: 'dns', value: 'localhost' },
    { type: 'ip', value: '127.0.0.1' },
  ] as const;
  serverLeaf = await pki.issue('server', [...names], 'server');
  clientLeaf = await pki.issue('client', [{ type: 'dns', value: 'app.svc.internal' }], 'client');
  http = await startHttpServer('via the cli\n');
});

after(async () => {
  await http?.close();
  await pki?.close();
});

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await run(['tunnel', ...args], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    stdoutIsTty: false,
    env: {},
  });
  return { code, out, err };
}

test('--help shows the options and examples of each mode', async () => {
  const server = await cli(['server', '--help']);
  assert.equal(server.code, 0);
  assert.match(server.out, /--allow-uri <uri>/);
  assert.match(server.out, /Examples:\n {2}\$ wiretight tunnel server/);
  const client = await cli(['client', '--help']);
  assert.match(client.out, /--server-name <name>/);
});

test('usage errors exit 2 with one line naming the problem', async () => {
  const base = ['--cert', serverLeaf.cert, '--key', serverLeaf.key, '--ca', pki.ca];
  const cases: [string[], RegExp][] = [
    [
      ['server', '--listen', '127.0.0.1:0', '--target', '127.0.0.1:1', ...base],
      /at least one --allow/,
    ],
    [
      ['server', '--listen', 'nonsense', '--target', '127.0.0.1:1', '--allow-all', ...base],
      /--listen nonsense/,
    ],
    [
      ['client', '--listen', '127.0.0.1:0', '--target', 'unix:/x', ...base],
      /unix socket is not accepted/,
    ],
    [
      [
        'server',
        '--listen',
        '127.0.0.1:0',
        '--target',
        '127.0.0.1:1',
        '--allow-uri',
        'spiffe://a/*/b',
        ...base,
      ],
      /only a final \/\*/,
    ],
    [
      [
        'server',
        '--listen',
        '127.0.0.1:0',
        '--target',
        '127.0.0.1:1',
        '--allow-all',
        '--cert',
        '/nonexistent.pem',
        '--key',
        serverLeaf.key,
        '--ca',
        pki.ca,
      ],
      /--cert \/nonexistent.pem: ENOENT/,
    ],
    [
      [
        'server',
        '--listen',
        '127.0.0.1:0',
        '--target',
        '127.0.0.1:1',
        '--allow-all',
        '--cert',
        serverLeaf.cert,
        '--key',
        clientLeaf.key,
        '--ca',
        pki.ca,
      ],
      /does not belong to the certificate/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
  }
});

function lines(child: ChildProcess): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let buffer = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    buffer += d;
    let nl;
    while ((nl = buffer.indexOf('\n')) !== -1) {
      out.push(JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>);
      buffer = buffer.slice(nl + 1);
    }
  });
  return out;
}

test('a tunnel server process serves curl, reloads on SIGHUP and drains on SIGTERM', async () => {
  const cert = join(pki.dir, 'live.pem');
  const key = join(pki.dir, 'live.key');
  copyFileSync(serverLeaf.cert, cert);
  copyFileSync(serverLeaf.key, key);
  const child = spawn(
    process.execPath,
    [
      MAIN,
      'tunnel',
      'server',
      '--listen',
      '127.0.0.1:0',
      '--target',
      `127.0.0.1:${http.port}`,
      '--cert',
      cert,
      '--key',
      key,
      '--ca',
      pki.ca,
      '--allow-dns',
      'app.svc.internal',
      '--no-watch',
      '--reload-interval',
      '1h',
      '--status',
      '127.0.0.1:0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const log = lines(child);
    await waitFor(() => log.some((l) => l['event'] === 'tunnel.listening'), 15_000, 'listening');
    const port = (
      log.find((l) => l['event'] === 'tunnel.listening')!['address'] as { port: number }
    ).port;
    const curl = await exec('curl', [
      '-sS',
      '--cacert',
      pki.ca,
      '--cert',
      clientLeaf.cert,
      '--key',
      clientLeaf.key,
      `https://localhost:${port}/`,
    ]);
    assert.equal(curl.stdout, 'via the cli\n', curl.stderr);
    await waitFor(
      () => log.some((l) => l['event'] === 'tunnel.connection'),
      5000,
      'connection line',
    );
    const line = log.find((l) => l['event'] === 'tunnel.connection')!;
    assert.equal(line['rule'], 'dns:app.svc.internal');
    await waitFor(() => log.some((l) => l['event'] === 'tunnel.status'), 5000, 'status line');
    const statusPort = (
      log.find((l) => l['event'] === 'tunnel.status')!['address'] as { port: number }
    ).port;
    const health = await fetch(`http://127.0.0.1:${statusPort}/healthz`);
    assert.equal(health.status, 200);
    const body = (await health.json()) as {
      status: string;
      tunnels: { targetReachable: boolean }[];
    };
    assert.equal(body.status, 'ok');
    assert.equal(body.tunnels[0]?.targetReachable, true);
    const metrics = await (await fetch(`http://127.0.0.1:${statusPort}/metrics`)).text();
    assert.match(
      metrics,
      /wiretight_tunnel_authorizations_total\{mode="server",result="allowed",rule="dns:app.svc.internal"\} 1/,
    );
    assert.match(metrics, /wiretight_process_cpu_seconds_total/);
    const next = await pki.issue('next', [{ type: 'dns', value: 'localhost' }], 'server');
    copyFileSync(next.key, key);
    copyFileSync(next.cert, cert);
    child.kill('SIGHUP');
    await waitFor(() => log.some((l) => l['event'] === 'tunnel.reload'), 5000, 'reload line');
    const reload = log.find((l) => l['event'] === 'tunnel.reload')!;
    assert.equal(reload['trigger'], 'signal');
    assert.equal(reload['result'], 'reloaded');
    assert.equal(reload['serial'], next.serial);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.ok(log.some((l) => l['event'] === 'tunnel.stopped'));
  } finally {
    child.kill('SIGKILL');
  }
});
