// One nginx serving many endpoints, as a fleet's web tier does: a master and two workers,
// one `server` block per port, each with its own certificate, protocols, suites and
// headers, or plain HTTP. Started in the foreground from a generated config in a temp
// dir; nothing touches /var/log or /run.
import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nginxConf } from '../../../test/helpers/nginx-conf.ts';
import { freePort, launch, type RunningServer } from '../../../test/helpers/process.ts';
import { requireProgram } from '../../../test/helpers/tools.ts';

/** The TLS settings of one `server` block, with file paths resolved. */
export interface NginxTlsBlock {
  readonly protocols: string;
  readonly ciphers: string;
  /** Leaf followed by its chain (nginx's `ssl_certificate`). */
  readonly chain: string;
  readonly key: string;
  readonly dhparam?: string;
  readonly hsts: boolean;
}

/** One `server` block: where it listens (the port is chosen at start), and TLS or not. */
export interface NginxBlock {
  readonly address: string;
  /** Undefined for plain HTTP. */
  readonly tls?: NginxTlsBlock;
}

export interface NginxFleet extends RunningServer {
  /** The port of each block, in the order given. */
  readonly ports: readonly number[];
}

const PAGE = 'wiretight fleet bench';

function serverBlock(port: number, { address, tls }: NginxBlock): string {
  const lines =
    tls === undefined
      ? [`listen ${address}:${port};`]
      : [
          `listen ${address}:${port} ssl;`,
          `ssl_certificate ${tls.chain};`,
          `ssl_certificate_key ${tls.key};`,
          `ssl_protocols ${tls.protocols};`,
          `ssl_ciphers '${tls.ciphers}';`,
          ...(tls.dhparam === undefined ? [] : [`ssl_dhparam ${tls.dhparam};`]),
          ...(tls.hsts ? ['add_header Strict-Transport-Security "max-age=31536000" always;'] : []),
        ];
  return `  server {\n    ${lines.join('\n    ')}\n    location / { return 200 '${PAGE}\\n'; }\n  }`;
}

/**
 * The whole nginx.conf: two workers, logs to stderr, temp files in dir, the blocks on
 * their ports, and a plain listener on 127.0.0.1:readyPort that tells when nginx is up
 * (the start helper probes 127.0.0.1, where the fleet's own blocks do not listen).
 */
export function nginxFleetConfig(
  dir: string,
  blocks: readonly NginxBlock[],
  ports: readonly number[],
  readyPort: number,
): string {
  if (blocks.length !== ports.length) throw new RangeError('one port per server block');
  return nginxConf(
    dir,
    `  default_type text/plain;
${blocks.map((b, i) => serverBlock(ports[i] as number, b)).join('\n')}
${serverBlock(readyPort, { address: '127.0.0.1' })}`,
    { workers: 2, fileLimit: 16384, workerConnections: 4096, errorLevel: 'error' },
  );
}

/**
 * `count` ports free on 127.0.0.1 a moment ago, all different and none in `taken`. A
 * port free there is free on the other loopback addresses too, unless something listens
 * on that address alone.
 */
export async function distinctFreePorts(
  count: number,
  taken: ReadonlySet<number> = new Set(),
): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) {
    const port = await freePort();
    if (!taken.has(port)) ports.add(port);
  }
  return [...ports];
}

/**
 * Starts nginx with one `server` block per entry of `blocks`, each on a port of its own.
 * nginx cannot listen on port 0, so ports are taken free and the start is retried when
 * another process won one of them in between.
 */
export async function startNginxFleet(
  blocks: readonly NginxBlock[],
  taken: ReadonlySet<number> = new Set(),
): Promise<NginxFleet> {
  const nginx = requireProgram('nginx');
  for (let attempt = 1; ; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'wiretight-bench-nginx-'));
    const [readyPort, ...ports] = await distinctFreePorts(blocks.length + 1, taken);
    const conf = join(dir, 'nginx.conf');
    await writeFile(conf, nginxFleetConfig(dir, blocks, ports, readyPort as number));
    try {
      // The master binds every listener before it answers on any.
      const server = await launch({
        name: 'nginx',
        cmd: nginx,
        args: ['-p', dir, '-c', conf, '-e', 'stderr'],
        tmpDir: dir,
        port: readyPort as number,
        timeoutMs: 20_000,
      });
      return { ...server, ports };
    } catch (err) {
      if (attempt >= 3 || !String(err).includes('Address already in use')) throw err;
    }
  }
}
