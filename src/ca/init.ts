// `ca init`: a root (self-signed, its key encrypted and possibly written elsewhere, to be
// kept offline), an intermediate that does all the online signing, a delegated OCSP
// responder, the policy and the settings. Every file is created exclusively with its final
// mode; on any failure the files written so far are removed, so a directory is either a
// whole CA or what it was before.
import { X509Certificate } from 'node:crypto';
import { access, mkdir, rmdir, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { WiretightError } from '../errors.ts';
import { CA_FILES, MODES, caPath } from './ca-dir.ts';
import { createIssuer } from './certificate-builder.ts';
import { type CaConfig, CONFIG_DEFAULTS, normalizePublicUrl, renderConfig } from './config.ts';
import { pem } from './der-writer.ts';
import { writeFileAtomic } from './files.ts';
import { encryptPrivateKey } from './key-file.ts';
import { encodePublicKey, generateKeyPair, isKeyAlgorithm } from './keys.ts';
import { parseIpRange } from './ip-range.ts';
import { DEFAULT_POLICY, type ProvisionerPolicy, TRUST_DOMAIN, parseDnsRule } from './policy.ts';
import { renderPolicy } from './policy-file.ts';
import { MAX_CA_NAME, intermediateCertificate, rootCertificate } from './profiles.ts';
import { issueResponder } from './responder.ts';
import { createSigner } from './signer.ts';
import { type RandomSource, defaultRandom, randomSerial } from './serial.ts';
import type { KeyAlgorithm } from './types.ts';

const YEAR = 365 * 86_400;
export const MIN_PASSPHRASE_LENGTH = 8;

export interface InitOptions {
  readonly dir: string;
  readonly passphrase: string;
  readonly keyType?: KeyAlgorithm;
  readonly name?: string;
  readonly rootLifetimeSeconds?: number;
  readonly intermediateLifetimeSeconds?: number;
  /** Policy DNS rules (`.svc.internal`, `api.example.com`), also the intermediate's name constraints. */
  readonly permitDns?: readonly string[];
  /** Policy IP ranges (CIDR), also name constraints. */
  readonly permitIp?: readonly string[];
  /** SPIFFE trust domain for URI identifiers, also a URI name constraint. */
  readonly spiffeTrustDomain?: string;
  /** Write the permitted names into the intermediate as critical nameConstraints (default true). */
  readonly nameConstraints?: boolean;
  /** Base URL of `ca serve`, for the OCSP and CRL pointers in leaves. */
  readonly publicUrl?: string;
  /** Write the root key here instead of `<dir>/root.key`. */
  readonly rootKeyOut?: string;
  readonly clock?: () => Date;
  readonly random?: RandomSource;
}

export interface InitResult {
  readonly dir: string;
  /** Every file written, by role. */
  readonly files: Readonly<
    Record<
      | 'config'
      | 'policy'
      | 'root'
      | 'rootKey'
      | 'intermediate'
      | 'intermediateKey'
      | 'ocspResponder',
      string
    >
  >;
  readonly rootPem: string;
  readonly intermediatePem: string;
  /** SHA-256 of the root certificate, colon-separated hex as OpenSSL prints it. */
  readonly rootFingerprint: string;
  readonly config: CaConfig;
  readonly policy: ProvisionerPolicy;
}

interface Checked {
  readonly keyType: KeyAlgorithm;
  readonly name: string;
  readonly rootLifetime: number;
  readonly intermediateLifetime: number;
  readonly policy: ProvisionerPolicy;
  readonly publicUrl: string | null;
}

function check(options: InitOptions): Checked {
  if (typeof options.passphrase !== 'string' || options.passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new WiretightError(
      'WT_ERR_CA_PASSPHRASE',
      `the CA passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`,
    );
  }
  const keyType = options.keyType ?? 'ecdsa-p256';
  if (!isKeyAlgorithm(keyType)) throw new RangeError(`unknown key type "${String(keyType)}"`);
  const name = options.name ?? 'wiretight internal CA';
  if (name.length === 0 || name.length > MAX_CA_NAME || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new RangeError(`the CA name must have 1 to ${MAX_CA_NAME} printable characters`);
  }
  const rootLifetime = options.rootLifetimeSeconds ?? 10 * YEAR;
  const intermediateLifetime =
    options.intermediateLifetimeSeconds ?? Math.min(5 * YEAR, rootLifetime);
  for (const [what, v] of [
    ['root', rootLifetime],
    ['intermediate', intermediateLifetime],
  ] as const) {
    if (!Number.isInteger(v) || v < 86_400)
      throw new RangeError(`the ${what} lifetime must be at least a day`);
  }
  if (intermediateLifetime > rootLifetime) {
    throw new RangeError(
      'the intermediate cannot outlive the root: shorten --intermediate-lifetime',
    );
  }
  const spiffe = options.spiffeTrustDomain ?? null;
  if (spiffe !== null && !TRUST_DOMAIN.test(spiffe)) {
    throw new RangeError(
      `"${spiffe}" is not a SPIFFE trust domain (lower-case letters, digits, . - _)`,
    );
  }
  const policy: ProvisionerPolicy = {
    ...DEFAULT_POLICY,
    dns: [...new Set((options.permitDns ?? []).map(parseDnsRule))],
    ip: (options.permitIp ?? []).map(parseIpRange),
    spiffeTrustDomain: spiffe,
  };
  const publicUrl = options.publicUrl === undefined ? null : normalizePublicUrl(options.publicUrl);
  return { keyType, name, rootLifetime, intermediateLifetime, policy, publicUrl };
}

function fingerprint(der: Uint8Array): string {
  return new X509Certificate(der).fingerprint256;
}

/** Creates a CA in `options.dir` (made 0700 when missing). WT_ERR_CA_DIR when one exists. */
export async function initCa(options: InitOptions): Promise<InitResult> {
  const c = check(options);
  const now = (options.clock ?? (() => new Date()))();
  const random = options.random ?? defaultRandom;
  const dir = resolve(options.dir);
  const created = await mkdir(dir, { recursive: true, mode: MODES.directory }).catch(
    (cause: unknown) => {
      throw new WiretightError(
        'WT_ERR_CA_DIR',
        `${dir} cannot be created (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`,
        { cause },
      );
    },
  );
  const written: string[] = [];
  const write = async (path: string, data: string, mode: number): Promise<void> => {
    await writeFileAtomic(path, data, { mode, exclusive: true });
    written.push(path);
  };
  const files = {
    config: caPath(dir, 'config'),
    policy: caPath(dir, 'policy'),
    root: caPath(dir, 'root'),
    rootKey:
      options.rootKeyOut === undefined ? caPath(dir, 'rootKey') : resolve(options.rootKeyOut),
    intermediate: caPath(dir, 'intermediate'),
    intermediateKey: caPath(dir, 'intermediateKey'),
    ocspResponder: caPath(dir, 'ocspResponder'),
  };
  for (const path of Object.values(files)) {
    const exists = await access(path).then(
      () => true,
      () => false,
    );
    if (exists) {
      throw new WiretightError(
        'WT_ERR_CA_DIR',
        path === files.config
          ? `${dir} holds a CA already (${CA_FILES.config}); ca init never overwrites one`
          : `${path} exists already; ca init never overwrites a file`,
      );
    }
  }
  try {
    const [rootKeys, intermediateKeys] = await Promise.all([
      generateKeyPair(c.keyType),
      generateKeyPair(c.keyType),
    ]);
    const root = rootCertificate(createSigner(rootKeys.privateKey), c.name, {
      serial: randomSerial(random),
      now,
      lifetimeSeconds: c.rootLifetime,
      subjectKey: encodePublicKey(rootKeys.publicKey),
    });
    const rootIssuer = createIssuer(root.der, rootKeys.privateKey, files.root);
    const constrain = options.nameConstraints ?? true;
    const intermediate = intermediateCertificate(
      rootIssuer,
      c.name,
      {
        serial: randomSerial(random),
        now,
        lifetimeSeconds: c.intermediateLifetime,
        subjectKey: encodePublicKey(intermediateKeys.publicKey),
      },
      constrain
        ? {
            dns: c.policy.dns
              .map((rule) => (rule.startsWith('.') ? rule.slice(1) : rule))
              .filter((d) => !d.startsWith('*.')),
            ip: c.policy.ip,
            uriHosts: c.policy.spiffeTrustDomain === null ? [] : [c.policy.spiffeTrustDomain],
          }
        : { dns: [], ip: [], uriHosts: [] },
    );
    const config: CaConfig = {
      name: c.name,
      keyType: c.keyType,
      publicUrl: c.publicUrl,
      rootKey: options.rootKeyOut === undefined ? CA_FILES.rootKey : files.rootKey,
      rootLifetimeSeconds: c.rootLifetime,
      intermediateLifetimeSeconds: c.intermediateLifetime,
      ...CONFIG_DEFAULTS,
    };
    await write(
      files.rootKey,
      await encryptPrivateKey(rootKeys.privateKey, options.passphrase, random),
      MODES.secret,
    );
    await write(
      files.intermediateKey,
      await encryptPrivateKey(intermediateKeys.privateKey, options.passphrase, random),
      MODES.secret,
    );
    await write(files.root, pem('CERTIFICATE', root.der), MODES.public);
    await write(files.intermediate, pem('CERTIFICATE', intermediate.der), MODES.public);
    await issueResponder({
      dir,
      passphrase: options.passphrase,
      intermediate: createIssuer(intermediate.der, intermediateKeys.privateKey, files.intermediate),
      caName: c.name,
      keyType: c.keyType,
      lifetimeSeconds: config.ocspResponderLifetimeSeconds,
      now,
      random,
      exclusive: true,
    });
    written.push(files.ocspResponder);
    await write(files.policy, renderPolicy(c.policy), MODES.public);
    // Last: ca.json marks the directory as a CA, so a crash before it leaves no half-CA.
    await write(files.config, renderConfig(config), MODES.public);
    return {
      dir,
      files,
      rootPem: pem('CERTIFICATE', root.der),
      intermediatePem: pem('CERTIFICATE', intermediate.der),
      rootFingerprint: fingerprint(root.der),
      config,
      policy: c.policy,
    };
  } catch (err) {
    for (const path of written) await unlink(path).catch(() => undefined);
    if (created !== undefined) await rmdir(dir).catch(() => undefined);
    throw err;
  }
}
