// Brings a fleet layout up on loopback: one nginx for the nginx and plaintext endpoints,
// an openssl s_server or gnutls-serv process for each of the others, and ports kept
// closed. Every process is stopped by `stop()`, and by the test helpers' exit hooks when
// the bench ends early or is interrupted.
import type { TestPki } from '../../../test/helpers/pki.ts';
import {
  type RunningServer,
  startGnutlsServ,
  startOpenSslServer,
} from '../../../test/helpers/servers.ts';
import { type EndpointSpec, type Posture, fleetAddress } from './layout.ts';
import { type NginxBlock, distinctFreePorts, startNginxFleet } from './nginx.ts';

/** An endpoint of the running fleet. */
export interface FleetEndpoint extends EndpointSpec {
  /** Its loopback address. */
  readonly host: string;
  readonly port: number;
}

export interface RunningFleet {
  /** In layout order. */
  readonly endpoints: readonly FleetEndpoint[];
  /** The nginx serving most endpoints, and the other servers (their logs). */
  readonly servers: readonly RunningServer[];
  stop(): Promise<void>;
}

function nginxBlock(spec: EndpointSpec, pki: TestPki): NginxBlock {
  const address = fleetAddress(spec.index);
  const p = spec.posture;
  if (p.kind !== 'nginx') return { address };
  const cert = pki[p.cert];
  return {
    address,
    tls: {
      protocols: p.protocols,
      ciphers: p.ciphers,
      chain: cert.chain,
      key: cert.key,
      hsts: p.hsts,
      ...(p.dhparam === undefined ? {} : { dhparam: pki[p.dhparam] }),
    },
  };
}

/** A process of its own for an s_server or gnutls-serv posture. */
function startSingle(p: Posture, pki: TestPki): Promise<RunningServer> | undefined {
  switch (p.kind) {
    case 's_server':
      // -www answers HTTP, so the HTTP checks have something to look at.
      return startOpenSslServer([
        '-www',
        ...p.args,
        ...(p.dhparam === undefined ? [] : ['-dhparam', pki[p.dhparam]]),
      ]);
    case 'gnutls-serv':
      return startGnutlsServ(p.priority);
    default:
      return undefined;
  }
}

/** Starts every endpoint of `layout`; on any failure stops what had started, then throws. */
export async function startFleet(
  layout: readonly EndpointSpec[],
  pki: TestPki,
): Promise<RunningFleet> {
  const servers: RunningServer[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((s) => s.stop()));
  };
  try {
    const ports = new Map<number, number>();
    const hosts = new Map<number, string>();
    // The single-process servers first: they bind port 0, so nginx's free ports avoid them.
    for (const spec of layout) {
      const started = startSingle(spec.posture, pki);
      if (started === undefined) continue;
      const server = await started;
      servers.push(server);
      ports.set(spec.index, server.port);
      // gnutls-serv listens on every address; s_server only on 127.0.0.1.
      if (spec.posture.kind === 's_server') hosts.set(spec.index, server.host);
    }
    const served = layout.filter(
      (s) => s.posture.kind === 'nginx' || s.posture.kind === 'plaintext',
    );
    if (served.length > 0) {
      const blocks = served.map((s) => nginxBlock(s, pki));
      const nginx = await startNginxFleet(blocks, new Set(ports.values()));
      servers.push(nginx);
      served.forEach((s, i) => ports.set(s.index, nginx.ports[i] as number));
    }
    const closed = layout.filter((s) => s.posture.kind === 'closed');
    const free = await distinctFreePorts(closed.length, new Set(ports.values()));
    closed.forEach((s, i) => ports.set(s.index, free[i] as number));
    const endpoints = layout.map((s) => ({
      ...s,
      host: hosts.get(s.index) ?? fleetAddress(s.index),
      port: ports.get(s.index) as number,
    }));
    return { endpoints, servers, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
