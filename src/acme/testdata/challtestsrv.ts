// pebble-challtestsrv (Let's Encrypt's challenge test server) as an independent peer for
// the validators: a mock DNS server (A records answer 127.0.0.1, TXT records set through
// its management API), an http-01 server and a tls-alpn-01 server, on free loopback ports.
// Test-only (testdata/ is not built).
import { type RunningServer, freePort, launch } from '../../../test/helpers/process.ts';

export interface ChallTestSrv {
  readonly dnsPort: number;
  readonly httpPort: number;
  readonly tlsAlpnPort: number;
  setTxt(name: string, value: string): Promise<void>;
  addHttp01(token: string, content: string): Promise<void>;
  addTlsAlpn01(host: string, keyAuthorization: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startChallTestSrv(): Promise<ChallTestSrv> {
  const [dnsPort, httpPort, tlsAlpnPort, managementPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const server: RunningServer = await launch({
    name: 'pebble-challtestsrv',
    cmd: 'pebble-challtestsrv',
    args: [
      '-management',
      `127.0.0.1:${managementPort}`,
      '-dns01',
      `127.0.0.1:${dnsPort}`,
      '-http01',
      `127.0.0.1:${httpPort}`,
      '-tlsalpn01',
      `127.0.0.1:${tlsAlpnPort}`,
      '-https01',
      '',
    ],
    port: managementPort,
  });
  const manage = async (path: string, body: unknown): Promise<void> => {
    const res = await fetch(`http://127.0.0.1:${managementPort}${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new TypeError(`challtestsrv ${path}: ${res.status} ${await res.text()}`);
  };
  return {
    dnsPort,
    httpPort,
    tlsAlpnPort,
    setTxt: (name, value) => manage('/set-txt', { host: `${name}.`, value }),
    addHttp01: (token, content) => manage('/add-http01', { token, content }),
    addTlsAlpn01: (host, content) => manage('/add-tlsalpn01', { host, content }),
    stop: () => server.stop(),
  };
}
