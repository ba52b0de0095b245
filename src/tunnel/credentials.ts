// The tunnel's certificate, key and CA bundle, read together and checked before use: a
// set of files is taken whole or not at all, so a reload that sees a half-written or
// mismatched pair keeps serving the previous one.
import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { type SecureContext, type SecureContextOptions, createSecureContext } from 'node:tls';
import { WiretightError } from '../errors.ts';
import { pemCertificates } from '../pki/pem.ts';
import { TUNNEL_POSTURE } from './posture.ts';

/** Certificates and keys are a few KiB; a CA bundle of a few hundred roots is well under this. */
export const MAX_CREDENTIAL_FILE_BYTES = 1024 * 1024;

export interface CredentialPaths {
  /** Leaf first, then intermediates, PEM. */
  readonly cert: string;
  /** Unencrypted private key, PEM. */
  readonly key: string;
  /** Trust anchors the peer must chain to, PEM. */
  readonly ca: string;
}

export interface Credentials {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly ca: Buffer;
  /** A secure context with the tunnel posture, ready for a client connection. */
  readonly context: SecureContext;
  readonly leaf: X509Certificate;
  /** SHA-256 over the three files: a reload with the same bytes changes nothing. */
  readonly digest: string;
}

const fail = (message: string, cause?: unknown): WiretightError =>
  new WiretightError('WT_ERR_TUNNEL_CREDENTIALS', message, cause === undefined ? {} : { cause });

// Symlinks are followed on purpose: Kubernetes mounts secrets as links into a
// timestamped directory, swapped atomically on update.
async function readFileCapped(flag: string, path: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY);
  } catch (cause) {
    throw fail(
      `${flag} ${path}: ${(cause as NodeJS.ErrnoException).code ?? 'cannot be read'}`,
      cause,
    );
  }
  try {
    const buffer = Buffer.alloc(MAX_CREDENTIAL_FILE_BYTES + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > MAX_CREDENTIAL_FILE_BYTES) {
      throw fail(`${flag} ${path}: larger than ${MAX_CREDENTIAL_FILE_BYTES} bytes`);
    }
    return Buffer.from(buffer.subarray(0, filled));
  } catch (cause) {
    if (cause instanceof WiretightError) throw cause;
    throw fail(
      `${flag} ${path}: ${(cause as NodeJS.ErrnoException).code ?? 'cannot be read'}`,
      cause,
    );
  } finally {
    await handle.close();
  }
}

function certificatesIn(flag: string, path: string, pem: Buffer): X509Certificate[] {
  try {
    const ders = pemCertificates(pem.toString('latin1'));
    if (ders.length === 0) throw fail(`${flag} ${path}: no PEM certificate`);
    return ders.map((der) => new X509Certificate(der));
  } catch (cause) {
    if (cause instanceof WiretightError && cause.code === 'WT_ERR_TUNNEL_CREDENTIALS') throw cause;
    throw fail(`${flag} ${path}: not a valid PEM certificate (${(cause as Error).message})`, cause);
  }
}

/** Reads and checks the three files; WT_ERR_TUNNEL_CREDENTIALS says which and why. */
export async function loadCredentials(
  paths: CredentialPaths,
  now: Date = new Date(),
): Promise<Credentials> {
  const [cert, key, ca] = await Promise.all([
    readFileCapped('--cert', paths.cert),
    readFileCapped('--key', paths.key),
    readFileCapped('--ca', paths.ca),
  ]);
  const [leaf] = certificatesIn('--cert', paths.cert, cert);
  certificatesIn('--ca', paths.ca, ca);
  if (leaf === undefined) throw fail(`--cert ${paths.cert}: no PEM certificate`);
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (cause) {
    throw fail(`--key ${paths.key}: not an unencrypted PEM private key`, cause);
  }
  if (!leaf.checkPrivateKey(privateKey)) {
    throw fail(`--key ${paths.key} does not belong to the certificate in ${paths.cert}`);
  }
  if (new Date(leaf.validTo).getTime() <= now.getTime()) {
    throw fail(
      `--cert ${paths.cert}: the certificate expired at ${new Date(leaf.validTo).toISOString()}`,
    );
  }
  let context: SecureContext;
  try {
    context = createSecureContext({ ...TUNNEL_POSTURE, cert, key, ca });
  } catch (cause) {
    throw fail(`--cert/--key/--ca: rejected by OpenSSL (${(cause as Error).message})`, cause);
  }
  const digest = createHash('sha256').update(cert).update(key).update(ca).digest('hex');
  return { cert, key, ca, context, leaf, digest };
}

/** The secure-context options of a listener (setSecureContext) with the tunnel posture. */
export const contextOptions = (c: Credentials): SecureContextOptions => ({
  ...TUNNEL_POSTURE,
  cert: c.cert,
  key: c.key,
  ca: c.ca,
});
