// Binding a tunnel's listener, and what both modes return to their caller.
import type { AddressInfo, Server } from 'node:net';
import type { Endpoint } from './endpoint.ts';
import type { ReloadResult, ReloadTrigger } from './reloader.ts';
import type { Credentials } from './credentials.ts';

export interface Tunnel {
  readonly mode: 'server' | 'client';
  /** Where it listens (the real port when asked for port 0). */
  readonly address: { readonly host: string; readonly port: number };
  activeConnections(): number;
  credentials(): Credentials;
  reload(trigger?: ReloadTrigger): Promise<ReloadResult>;
  /** Graceful drain: stop accepting, wait for live connections (up to the drain timeout), stop. */
  close(): Promise<void>;
}

export function listen(
  server: Server,
  endpoint: Endpoint & { kind: 'tcp' },
): Promise<{ host: string; port: number }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: endpoint.host, port: endpoint.port }, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve({ host: address.address, port: address.port });
    });
  });
}
