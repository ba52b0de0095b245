// The delegated OCSP responder's certificate and key: issued by the intermediate for
// OCSP signing only, short-lived, and issued again (new key, new certificate, one atomic
// file) when a third of its life is left, so the intermediate's key never signs OCSP.
import { X509Certificate, createHash } from 'node:crypto';
import { bytesEqual } from '../core/bytes.ts';
import type { Logger } from '../core/logger.ts';
import { WiretightError } from '../errors.ts';
import { certificateParts } from '../pki/certificate-parts.ts';
import { pemBlocks } from '../pki/pem.ts';
import { MAX_CERTIFICATE_FILE_BYTES, MAX_KEY_FILE_BYTES, MODES, caPath } from './ca-dir.ts';
import { type Issuer, createIssuer } from './certificate-builder.ts';
import { pem } from './der-writer.ts';
import { readCappedText, writeFileAtomic } from './files.ts';
import { decryptPrivateKey, encryptPrivateKey } from './key-file.ts';
import { encodePublicKey, generateKeyPair } from './keys.ts';
import type { OcspResponder } from './ocsp.ts';
import { responderCertificate } from './profiles.ts';
import { type RandomSource, randomSerial } from './serial.ts';
import type { KeyAlgorithm } from './types.ts';

export interface LoadedResponder extends OcspResponder {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

function fromCertificate(der: Uint8Array, issuer: Issuer): LoadedResponder {
  const x509 = new X509Certificate(der);
  return {
    signer: issuer.signer,
    certificate: der,
    keyHash: new Uint8Array(createHash('sha1').update(issuer.keyBits).digest()),
    notBefore: x509.validFromDate,
    notAfter: x509.validToDate,
  };
}

/** True once less than a third of the responder certificate's life is left. */
export function responderNeedsRenewal(responder: LoadedResponder, now: Date): boolean {
  const life = responder.notAfter.getTime() - responder.notBefore.getTime();
  return responder.notAfter.getTime() - now.getTime() < life / 3;
}

/**
 * The responder in `<dir>/ocsp.pem`, or undefined when the file is missing or does not hold
 * a responder of this intermediate (then a new one is issued). A key the passphrase does
 * not decrypt is WT_ERR_CA_PASSPHRASE, as for the other keys.
 */
export async function loadResponder(
  dir: string,
  passphrase: string,
  intermediate: Issuer,
): Promise<LoadedResponder | undefined> {
  const path = caPath(dir, 'ocspResponder');
  let text: string;
  try {
    text = await readCappedText(path, MAX_CERTIFICATE_FILE_BYTES + MAX_KEY_FILE_BYTES);
  } catch {
    return undefined;
  }
  const cert = (() => {
    try {
      return pemBlocks(text).find((b) => b.label === 'CERTIFICATE')?.der;
    } catch {
      return undefined;
    }
  })();
  if (cert === undefined) return undefined;
  const key = decryptPrivateKey(text, passphrase, path);
  try {
    const parts = certificateParts(cert);
    if (!bytesEqual(parts.issuer, intermediate.name)) return undefined;
    if (!new X509Certificate(cert).verify(new X509Certificate(intermediate.der).publicKey))
      return undefined;
    return fromCertificate(cert, createIssuer(cert, key, path));
  } catch (err) {
    if (err instanceof WiretightError && err.code === 'WT_ERR_CA_PASSPHRASE') throw err;
    return undefined;
  }
}

export interface ResponderIssue {
  readonly dir: string;
  readonly passphrase: string;
  readonly intermediate: Issuer;
  readonly caName: string;
  readonly keyType: KeyAlgorithm;
  readonly lifetimeSeconds: number;
  readonly now: Date;
  readonly random: RandomSource;
  /** `ca init` must not replace a file; a rotation must. */
  readonly exclusive?: boolean;
}

/** Issues a responder with a fresh key and writes `<dir>/ocsp.pem` (0600) atomically. */
export async function issueResponder(options: ResponderIssue): Promise<LoadedResponder> {
  const keys = await generateKeyPair(options.keyType);
  const built = responderCertificate(options.intermediate, options.caName, {
    serial: randomSerial(options.random),
    now: options.now,
    lifetimeSeconds: options.lifetimeSeconds,
    subjectKey: encodePublicKey(keys.publicKey),
  });
  const path = caPath(options.dir, 'ocspResponder');
  const text =
    pem('CERTIFICATE', built.der) +
    (await encryptPrivateKey(keys.privateKey, options.passphrase, options.random));
  await writeFileAtomic(path, text, { mode: MODES.secret, exclusive: options.exclusive ?? false });
  return fromCertificate(built.der, createIssuer(built.der, keys.privateKey, path));
}

export interface ResponderKeeperOptions {
  readonly dir: string;
  readonly passphrase: string;
  readonly intermediate: Issuer;
  readonly caName: string;
  readonly keyType: KeyAlgorithm;
  readonly lifetimeSeconds: number;
  readonly clock: () => Date;
  readonly random: RandomSource;
  readonly logger: Logger;
}

/** Holds the responder in use and replaces it (once, however many callers) when due. */
export class ResponderKeeper {
  readonly #o: ResponderKeeperOptions;
  #responder: LoadedResponder;
  #rotating: Promise<void> | undefined;

  private constructor(options: ResponderKeeperOptions, responder: LoadedResponder) {
    this.#o = options;
    this.#responder = responder;
  }

  /** The responder of `<dir>/ocsp.pem`, or a new one when it is missing, foreign or due. */
  static async start(options: ResponderKeeperOptions): Promise<ResponderKeeper> {
    const existing = await loadResponder(options.dir, options.passphrase, options.intermediate);
    const keeper = new ResponderKeeper(options, existing ?? (await issueLogged(options)));
    await keeper.current();
    return keeper;
  }

  /**
   * The responder to sign with, replaced first when a third of its life is left. A failed
   * replacement (a read-only directory) is logged, and the old one kept while it is valid.
   */
  async current(): Promise<LoadedResponder> {
    const { clock, logger } = this.#o;
    if (responderNeedsRenewal(this.#responder, clock())) {
      this.#rotating ??= issueLogged(this.#o)
        .then(
          (next) => {
            this.#responder = next;
          },
          (err: unknown) => {
            logger.error(
              { event: 'ca.ocsp-responder-rotation-failed', error: String(err) },
              'OCSP responder certificate not renewed',
            );
            if (this.#responder.notAfter <= clock()) throw err;
          },
        )
        .finally(() => {
          this.#rotating = undefined;
        });
      await this.#rotating;
    }
    return this.#responder;
  }

  /** Resolves once no replacement is in progress. */
  async settled(): Promise<void> {
    await this.#rotating?.catch(() => undefined);
  }
}

async function issueLogged(options: ResponderKeeperOptions): Promise<LoadedResponder> {
  const responder = await issueResponder({ ...options, now: options.clock() });
  options.logger.info(
    { event: 'ca.ocsp-responder-issued', notAfter: responder.notAfter.toISOString() },
    'OCSP responder certificate issued',
  );
  return responder;
}
