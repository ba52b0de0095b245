// pebble, Let's Encrypt's test ACME server (Debian package pebble), as the anchor: its
// own mock DNS (pebble-challtestsrv) answers every A query with 127.0.0.1 and nothing
// else, so pebble's real http-01 validation reaches the bench's responder or lego on
// loopback. Two flavours:
//   - as shipped: pebble sleeps 0–15 s at random before each validation and rejects 5 % of
//     good nonces, which is what a user trying it sees;
//   - `fast`: PEBBLE_VA_NOSLEEP=1 and PEBBLE_WFE_NONCEREJECT=0, pebble without its
//     artificial delays and faults. PEBBLE_VA_ALWAYS_VALID is never set: both validate.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../../test/helpers/process.ts';
import { findProgram } from '../../../test/helpers/tools.ts';
import { type TrackedServer, launchTracked } from './tracked.ts';

export interface PebbleConfigInput {
  readonly port: number;
  readonly managementPort: number;
  /** PEM files of pebble's own HTTPS certificate (chain allowed) and key. */
  readonly certificate: string;
  readonly privateKey: string;
  /** Where pebble sends http-01 and tls-alpn-01 validations. */
  readonly httpPort: number;
  readonly tlsPort: number;
}

/** pebble's JSON configuration (the shape of its example pebble-config.json). */
export function pebbleConfig(c: PebbleConfigInput): { pebble: Record<string, unknown> } {
  return {
    pebble: {
      listenAddress: `127.0.0.1:${c.port}`,
      managementListenAddress: `127.0.0.1:${c.managementPort}`,
      certificate: c.certificate,
      privateKey: c.privateKey,
      httpPort: c.httpPort,
      tlsPort: c.tlsPort,
      ocspResponderURL: '',
      externalAccountBindingRequired: false,
    },
  };
}

/** The environment of each flavour (added to pebble's; `as shipped` adds nothing). */
export const PEBBLE_FLAVOURS = {
  shipped: {},
  fast: { PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' },
} as const satisfies Record<string, Record<string, string>>;
export type PebbleFlavour = keyof typeof PEBBLE_FLAVOURS;

/** pebble-challtestsrv's arguments: mock DNS only, every name at 127.0.0.1, no AAAA. */
export function challtestsrvArgs(dnsPort: number, managementPort: number): string[] {
  return [
    '-defaultIPv4',
    '127.0.0.1',
    '-defaultIPv6',
    '',
    '-dns01',
    `127.0.0.1:${dnsPort}`,
    '-management',
    `127.0.0.1:${managementPort}`,
    '-http01',
    '',
    '-https01',
    '',
    '-tlsalpn01',
    '',
  ];
}

/** Both programs come with the Debian package pebble. */
export function pebbleProgram(name: 'pebble' | 'pebble-challtestsrv'): string {
  const path = findProgram(name);
  if (path === undefined) throw new Error(`${name} not found: install the Debian package pebble`);
  return path;
}

export interface Pebble {
  readonly directoryUrl: string;
  readonly flavour: PebbleFlavour;
  /** pebble itself (the mock DNS server's CPU is not counted: it is test scaffolding). */
  readonly server: TrackedServer;
  stop(): Promise<void>;
}

export interface StartPebbleOptions {
  readonly dir: string;
  readonly flavour: PebbleFlavour;
  readonly certificate: string;
  readonly privateKey: string;
  readonly httpPort: number;
}

/**
 * launchTracked with the program's output in `logFile` instead of a pipe to the bench:
 * pebble logs every request, and reading that through the bench's event loop would bill
 * pebble's chattiness to the client. sh and env exec, so the pid is the program's.
 */
async function launchLogged(
  name: string,
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
  logFile: string,
  port: number,
): Promise<TrackedServer> {
  const pairs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  try {
    return await launchTracked({
      name,
      cmd: '/bin/sh',
      args: [
        '-c',
        'log=$1; shift; exec "$@" >>"$log" 2>&1',
        'sh',
        logFile,
        '/usr/bin/env',
        ...pairs,
        ...argv,
      ],
      port,
      timeoutMs: 15_000,
    });
  } catch (error) {
    const tail = readFileSync(logFile, { encoding: 'utf8', flag: 'a+' }).slice(-2000);
    throw new Error(`${(error as Error).message}\n${name} log (${logFile}):\n${tail}`, {
      cause: error,
    });
  }
}

export async function startPebble(o: StartPebbleOptions): Promise<Pebble> {
  const [dnsPort, dnsManagement, port, managementPort, tlsPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const name = `pebble-${o.flavour}-${port}`;
  const dns = await launchLogged(
    'pebble-challtestsrv',
    [pebbleProgram('pebble-challtestsrv'), ...challtestsrvArgs(dnsPort!, dnsManagement!)],
    {},
    join(o.dir, `${name}-challtestsrv.log`),
    dnsManagement!,
  );
  const file = join(o.dir, `${name}.json`);
  const config = pebbleConfig({
    port: port!,
    managementPort: managementPort!,
    certificate: o.certificate,
    privateKey: o.privateKey,
    httpPort: o.httpPort,
    tlsPort: tlsPort!,
  });
  writeFileSync(file, JSON.stringify(config, null, 2));
  let server: TrackedServer;
  try {
    server = await launchLogged(
      'pebble',
      [pebbleProgram('pebble'), '-config', file, '-dnsserver', `127.0.0.1:${dnsPort}`],
      PEBBLE_FLAVOURS[o.flavour],
      join(o.dir, `${name}.log`),
      port!,
    );
  } catch (error) {
    await dns.stop();
    throw error;
  }
  return {
    directoryUrl: `https://127.0.0.1:${port}/dir`,
    flavour: o.flavour,
    server,
    stop: async () => {
      await server.stop();
      await dns.stop();
    },
  };
}
