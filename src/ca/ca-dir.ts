// The files of a CA directory, in one table: `ca init` writes them, everything else reads
// them, docs/ca.md lists them.
import { join } from 'node:path';

export const CA_FILES = {
  /** Settings decided at init (ca.json); its presence marks an initialised directory. */
  config: 'ca.json',
  policy: 'policy.yaml',
  /** The trust anchor to distribute. */
  root: 'root.pem',
  /** Written here unless `--root-key-out` sends it elsewhere (to be kept offline). */
  rootKey: 'root.key',
  intermediate: 'intermediate.pem',
  intermediateKey: 'intermediate.key',
  /** The delegated OCSP responder: its certificate and encrypted key in one file, replaced atomically. */
  ocspResponder: 'ocsp.pem',
  database: 'ca.db',
  /** Every issuance and revocation, one JSON line each, from every process. */
  audit: 'audit.log',
} as const;

export type CaFile = keyof typeof CA_FILES;

/** Size caps: a certificate file, a key file. */
export const MAX_CERTIFICATE_FILE_BYTES = 64 * 1024;
export const MAX_KEY_FILE_BYTES = 64 * 1024;

export const MODES = { directory: 0o700, secret: 0o600, public: 0o644 } as const;

export const caPath = (dir: string, file: CaFile): string => join(dir, CA_FILES[file]);
