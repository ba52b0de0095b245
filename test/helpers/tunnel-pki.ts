// Certificates for the tunnel tests, from the project's own CA library: a CA in a
// temporary directory (in-memory store) that issues leaves and writes them as PEM files,
// the way an operator would hand them to `wiretight tunnel`.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateAuthority } from '../../src/ca/authority.ts';
import { initCa } from '../../src/ca/init.ts';
import { memoryCaStore } from '../../src/ca/testdata/memory-store.ts';
import type { CertificateUsage, Identifier } from '../../src/ca/types.ts';

const PASSPHRASE = 'tunnel tests passphrase';

export interface LeafFiles {
  /** Leaf + intermediate, PEM. */
  readonly cert: string;
  readonly key: string;
  readonly serial: string;
}

export interface TunnelPki {
  readonly dir: string;
  /** The root, PEM file: what `--ca` points at. */
  readonly ca: string;
  readonly rootPem: string;
  /** Issues a leaf and writes `<name>.pem` and `<name>.key` under `dir` (or `into`). */
  issue(
    name: string,
    identifiers: readonly Identifier[],
    usage: CertificateUsage,
    into?: string,
  ): Promise<LeafFiles>;
  close(): Promise<void>;
}

export async function makeTunnelPki(trustDomain = 'example.org'): Promise<TunnelPki> {
  const dir = mkdtempSync(join(tmpdir(), 'wiretight-tunnel-pki-'));
  const caDir = join(dir, 'ca');
  await initCa({
    dir: caDir,
    passphrase: PASSPHRASE,
    keyType: 'ecdsa-p256',
    permitDns: ['.svc.internal', 'localhost'],
    permitIp: ['127.0.0.0/8'],
    spiffeTrustDomain: trustDomain,
    nameConstraints: false,
  });
  const ca = await CertificateAuthority.open({
    dir: caDir,
    passphrase: PASSPHRASE,
    store: memoryCaStore(),
  });
  const ca0 = join(dir, 'root.pem');
  writeFileSync(ca0, ca.rootPem);
  return {
    dir,
    ca: ca0,
    rootPem: ca.rootPem,
    async issue(name, identifiers, usage, into = dir) {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const issued = await ca.issue({ publicKey, identifiers, usage, provisioner: 'library' });
      const cert = join(into, `${name}.pem`);
      const key = join(into, `${name}.key`);
      writeFileSync(cert, issued.chainPem);
      writeFileSync(key, privateKey.export({ type: 'pkcs8', format: 'pem' }));
      return { cert, key, serial: issued.record.serial };
    },
    async close() {
      await ca.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
