// Dovecot (Debian package dovecot-imapd) as a real IMAP server with STARTTLS, for the
// STARTTLS tests: run in the foreground (`dovecot -F`) with a config of its own in a temp
// dir, listening on 127.0.0.1 only. Not part of the required tools yet: callers skip
// their tests when `dovecotPath()` is undefined.
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestPki } from './pki.ts';
import { freePort, launch, type RunningServer } from './process.ts';
import type { ServerCert } from './servers.ts';
import { findProgram } from './tools.ts';

export function dovecotPath(): string | undefined {
  return findProgram('dovecot');
}

/**
 * The whole configuration: IMAP on `port` (no imaps), TLS 1.2+ with the given files. The
 * DH parameters matter: without them Dovecot still lets OpenSSL choose a DHE suite and
 * then fails the handshake, so any client offering DHE first is cut off.
 */
function config(
  dir: string,
  port: number,
  tls: { cert: string; key: string; dh: string | undefined },
): string {
  return `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = /dev/stderr
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <${tls.cert}
ssl_key = <${tls.key}
${tls.dh === undefined ? '' : `ssl_dh = <${tls.dh}\n`}ssl_min_protocol = TLSv1.2
mail_location = maildir:${dir}/mail
passdb {
  driver = static
  args = password=unused
}
userdb {
  driver = static
  args = uid=dovenull gid=dovenull home=${dir}/home
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
}

/**
 * Starts Dovecot's IMAP on a free port with STARTTLS (default certificate: the test PKI's
 * RSA leaf and chain). As root, Dovecot drops to its own users (dovecot, dovenull), which
 * the Debian package creates.
 */
export async function startDovecotImap(
  cert?: ServerCert,
  options: { readonly dhParams?: boolean } = {},
): Promise<RunningServer> {
  const dovecot = dovecotPath();
  if (dovecot === undefined) throw new Error('dovecot not found (Debian: dovecot-imapd)');
  const pki = await makeTestPki();
  const leaf = cert ?? pki.rsa;
  for (let attempt = 1; ; attempt++) {
    const dir = await mkdtemp(join(tmpdir(), 'wiretight-dovecot-'));
    // Dovecot's unprivileged processes must reach their sockets under base_dir.
    await chmod(dir, 0o755);
    const port = await freePort();
    await writeFile(
      join(dir, 'dovecot.conf'),
      config(dir, port, {
        cert: leaf.chain ?? leaf.cert,
        key: leaf.key,
        dh: options.dhParams === false ? undefined : pki.dh2048,
      }),
    );
    try {
      return await launch({
        name: 'dovecot',
        cmd: dovecot,
        args: ['-F', '-c', join(dir, 'dovecot.conf')],
        tmpDir: dir,
        port,
        timeoutMs: 15_000,
      });
    } catch (err) {
      if (attempt < 3 && /already in use/i.test(String(err))) continue;
      throw err;
    }
  }
}
