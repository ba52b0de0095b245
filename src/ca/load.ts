// Reads an initialised CA directory: settings, policy, the two certificates and the
// intermediate's key (the root key is not needed to run, and may be offline). Every file
// is capped and checked; the message of any failure names the file.
import { X509Certificate } from 'node:crypto';
import { WiretightError } from '../errors.ts';
import { pemCertificates } from '../pki/pem.ts';
import { CA_FILES, MAX_CERTIFICATE_FILE_BYTES, MAX_KEY_FILE_BYTES, caPath } from './ca-dir.ts';
import { type Issuer, createIssuer } from './certificate-builder.ts';
import { type CaConfig, MAX_CONFIG_BYTES, parseConfig } from './config.ts';
import { pem } from './der-writer.ts';
import { readCappedText } from './files.ts';
import { decryptPrivateKey } from './key-file.ts';
import { MAX_POLICY_BYTES, parsePolicy } from './policy-file.ts';
import type { ProvisionerPolicy } from './policy.ts';

export interface LoadedCa {
  readonly config: CaConfig;
  readonly policy: ProvisionerPolicy;
  readonly rootPem: string;
  readonly intermediatePem: string;
  readonly intermediate: Issuer;
}

/** ca.json, or WT_ERR_CA_DIR saying the directory is not a CA. */
export async function readConfig(dir: string): Promise<CaConfig> {
  const path = caPath(dir, 'config');
  let text: string;
  try {
    text = await readCappedText(path, MAX_CONFIG_BYTES);
  } catch (err) {
    if ((err as { cause?: NodeJS.ErrnoException }).cause?.code === 'ENOENT') {
      throw new WiretightError(
        'WT_ERR_CA_DIR',
        `${dir} is not a CA directory (no ${CA_FILES.config}); create one with wiretight ca init --dir ${dir}`,
        { cause: err },
      );
    }
    throw err;
  }
  return parseConfig(text, path);
}

async function readCertificate(path: string): Promise<Uint8Array> {
  const text = await readCappedText(path, MAX_CERTIFICATE_FILE_BYTES);
  let der: Uint8Array | undefined;
  try {
    der = pemCertificates(text)[0];
    if (der !== undefined) new X509Certificate(der);
  } catch (cause) {
    throw new WiretightError('WT_ERR_CA_DIR', `${path} holds no valid certificate`, { cause });
  }
  if (der === undefined) throw new WiretightError('WT_ERR_CA_DIR', `${path} holds no certificate`);
  return der;
}

export async function loadCa(dir: string, passphrase: string): Promise<LoadedCa> {
  const config = await readConfig(dir);
  const policyPath = caPath(dir, 'policy');
  const policy = parsePolicy(await readCappedText(policyPath, MAX_POLICY_BYTES), policyPath);
  const rootDer = await readCertificate(caPath(dir, 'root'));
  const intermediatePath = caPath(dir, 'intermediate');
  const intermediateDer = await readCertificate(intermediatePath);
  if (!new X509Certificate(intermediateDer).verify(new X509Certificate(rootDer).publicKey)) {
    throw new WiretightError(
      'WT_ERR_CA_DIR',
      `${intermediatePath} was not signed by the root in ${caPath(dir, 'root')}`,
    );
  }
  const keyPath = caPath(dir, 'intermediateKey');
  const key = decryptPrivateKey(
    await readCappedText(keyPath, MAX_KEY_FILE_BYTES),
    passphrase,
    keyPath,
  );
  return {
    config,
    policy,
    rootPem: pem('CERTIFICATE', rootDer),
    intermediatePem: pem('CERTIFICATE', intermediateDer),
    intermediate: createIssuer(intermediateDer, key, `${intermediatePath} and ${keyPath}`),
  };
}
