// An SMTP server with a real STARTTLS, in-process: the cleartext dialogue is scripted
// (greeting, EHLO, STARTTLS), then the same socket is handed to node:tls as a server, so
// the scanner meets a real TLS stack (Node's OpenSSL) behind the upgrade. Unlike the real
// Postfix of test/helpers/postfix.ts, it can offer exactly one version or a broken upgrade.
// Stopped with `stop()`.
import { readFileSync } from 'node:fs';
import { type AddressInfo, type Socket, createServer } from 'node:net';
import { type SecureVersion, TLSSocket } from 'node:tls';
import { makeTestPki } from './pki.ts';
import type { ServerCert } from './servers.ts';

export interface StarttlsSmtpServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Connections that reached the TLS handshake. */
  readonly upgraded: () => number;
  stop(): Promise<void>;
}

export interface StarttlsSmtpOptions {
  readonly cert?: ServerCert;
  readonly minVersion?: SecureVersion;
  readonly maxVersion?: SecureVersion;
  readonly ciphers?: string;
  /** Leave STARTTLS out of the EHLO reply (a cleartext-only server). */
  readonly noStarttls?: boolean;
}

export async function startStarttlsSmtp(
  options: StarttlsSmtpOptions = {},
): Promise<StarttlsSmtpServer> {
  const leaf = options.cert ?? (await makeTestPki()).rsa;
  const key = readFileSync(leaf.key);
  const cert = readFileSync(leaf.chain ?? leaf.cert);
  const sockets = new Set<Socket>();
  let upgraded = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {
      // scanners abandon connections half-way; that is their job
    });
    socket.write('220 mail.test ESMTP wiretight-test\r\n');
    let pending = '';
    const onData = (chunk: Buffer): void => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n')) {
        const command = pending.slice(0, end).trim().toUpperCase();
        pending = pending.slice(end + 1);
        if (command.startsWith('EHLO ')) {
          const extensions = options.noStarttls === true ? [] : ['STARTTLS'];
          const lines = ['mail.test', 'PIPELINING', ...extensions, '8BITMIME'];
          socket.write(
            lines.map((l, i) => `250${i === lines.length - 1 ? ' ' : '-'}${l}\r\n`).join(''),
          );
        } else if (command === 'STARTTLS' && options.noStarttls !== true) {
          socket.off('data', onData);
          socket.write('220 2.0.0 Ready to start TLS\r\n');
          upgraded++;
          const tls = new TLSSocket(socket, {
            isServer: true,
            key,
            cert,
            ...(options.minVersion === undefined ? {} : { minVersion: options.minVersion }),
            ...(options.maxVersion === undefined ? {} : { maxVersion: options.maxVersion }),
            ...(options.ciphers === undefined ? {} : { ciphers: options.ciphers }),
          });
          tls.on('error', () => {
            // hostile and half-open hellos are what a scan sends
          });
          tls.on('secure', () => tls.end('221 2.0.0 Bye\r\n'));
          return;
        } else if (command === 'QUIT') {
          socket.end('221 Bye\r\n');
        } else {
          socket.write('502 5.5.1 Unrecognized command\r\n');
        }
      }
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    upgraded: () => upgraded,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
