// CA private keys at rest: PKCS#8 encrypted with PBES2, scrypt (N=2^14, r=8, p=1) and
// AES-256-CBC. Node's own KeyObject.export({ cipher }) would use PBKDF2 with 2048
// iterations, cheap to brute-force; scrypt with these parameters costs ~50 ms and 16 MiB
// per guess and is what `openssl pkcs8 -topk8 -scrypt` writes, so `openssl pkey -passin`
// reads our files (N=2^14 is the largest that OpenSSL's 32 MiB scrypt memory cap accepts).
import { type KeyObject, createCipheriv, createPrivateKey, randomBytes, scrypt } from 'node:crypto';
import { WiretightError } from '../errors.ts';
import {
  TAG,
  decodeOid,
  decodeSmallInteger,
  derElement,
  derSequence,
  expectTag,
} from '../pki/der.ts';
import { pemBlocks } from '../pki/pem.ts';
import { integer, octetString, oid, pem, sequence } from './der-writer.ts';

const OIDS = {
  pbes2: '1.2.840.113549.1.5.13',
  scrypt: '1.3.6.1.4.1.11591.4.11',
  pbkdf2: '1.2.840.113549.1.5.12',
  aes256cbc: '2.16.840.1.101.3.4.1.42',
} as const;

export const SCRYPT = { N: 16_384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

/** Parameters a key file may ask for before we refuse to spend the CPU (a hostile file). */
const LIMITS = {
  scryptN: 1 << 20,
  scryptR: 32,
  scryptP: 16,
  pbkdf2Iterations: 10_000_000,
} as const;

export const ENCRYPTED_KEY_LABEL = 'ENCRYPTED PRIVATE KEY';

function derive(passphrase: string, salt: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(passphrase, salt, KEY_LENGTH, { ...SCRYPT, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err === null ? resolve(key) : reject(err),
    );
  });
}

/** The key as an ENCRYPTED PRIVATE KEY PEM block (PBES2, scrypt, AES-256-CBC). */
export async function encryptPrivateKey(
  key: KeyObject,
  passphrase: string,
  random: (bytes: number) => Uint8Array = (n) => new Uint8Array(randomBytes(n)),
): Promise<string> {
  if (key.type !== 'private') throw new TypeError('encryptPrivateKey needs a private key');
  if (passphrase === '')
    throw new WiretightError('WT_ERR_CA_PASSPHRASE', 'the passphrase is empty');
  const salt = random(16);
  const iv = random(16);
  const derived = await derive(passphrase, salt);
  const cipher = createCipheriv('aes-256-cbc', derived, iv);
  const plain = key.export({ type: 'pkcs8', format: 'der' });
  const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  plain.fill(0);
  derived.fill(0);
  const kdf = sequence(
    oid(OIDS.scrypt),
    sequence(
      octetString(salt),
      integer(SCRYPT.N),
      integer(SCRYPT.r),
      integer(SCRYPT.p),
      integer(KEY_LENGTH),
    ),
  );
  const algorithm = sequence(
    oid(OIDS.pbes2),
    sequence(kdf, sequence(oid(OIDS.aes256cbc), octetString(iv))),
  );
  return pem(ENCRYPTED_KEY_LABEL, sequence(algorithm, octetString(encrypted)));
}

/** Refuses key-derivation parameters that would cost minutes (a hostile or corrupt file). */
function checkKdf(der: Uint8Array, file: string): void {
  const bad = (why: string): WiretightError =>
    new WiretightError('WT_ERR_CA_DIR', `${file}: ${why}`);
  const [algorithm] = derSequence(
    derElement(der, 'EncryptedPrivateKeyInfo'),
    'EncryptedPrivateKeyInfo',
  );
  const [scheme, params] = derSequence(algorithm, 'encryptionAlgorithm');
  if (decodeOid(expectTag(scheme, TAG.OID, 'algorithm').body) !== OIDS.pbes2) {
    throw bad('the key is not encrypted with PBES2');
  }
  const [kdf] = derSequence(params, 'PBES2-params');
  const [kdfOid, kdfParams] = derSequence(kdf, 'keyDerivationFunc');
  const fields = derSequence(kdfParams, 'KDF parameters');
  const n = (i: number, what: string): number =>
    decodeSmallInteger(expectTag(fields[i], TAG.INTEGER, what).body, what);
  const kdfName = decodeOid(expectTag(kdfOid, TAG.OID, 'keyDerivationFunc').body);
  if (kdfName === OIDS.scrypt) {
    if (n(1, 'N') > LIMITS.scryptN || n(2, 'r') > LIMITS.scryptR || n(3, 'p') > LIMITS.scryptP) {
      throw bad('the key asks for scrypt parameters above N=2^20, r=32, p=16');
    }
  } else if (kdfName === OIDS.pbkdf2) {
    if (n(1, 'iterationCount') > LIMITS.pbkdf2Iterations) {
      throw bad('the key asks for more than 10,000,000 PBKDF2 iterations');
    }
  } else {
    throw bad('the key uses a key derivation other than scrypt or PBKDF2');
  }
}

/**
 * Decrypts an ENCRYPTED PRIVATE KEY PEM read from `file` (named in messages).
 * WT_ERR_CA_DIR when the file is not such a key; WT_ERR_CA_PASSPHRASE when the passphrase
 * does not decrypt it.
 */
export function decryptPrivateKey(text: string, passphrase: string, file: string): KeyObject {
  let block;
  try {
    block = pemBlocks(text).find(
      (b) => b.label === ENCRYPTED_KEY_LABEL || b.label === 'PRIVATE KEY',
    );
    if (block !== undefined && block.label === ENCRYPTED_KEY_LABEL) checkKdf(block.der, file);
  } catch (cause) {
    if (cause instanceof WiretightError && cause.code === 'WT_ERR_CA_DIR') throw cause;
    throw new WiretightError('WT_ERR_CA_DIR', `${file}: not a valid encrypted private key`, {
      cause,
    });
  }
  if (block === undefined) {
    throw new WiretightError('WT_ERR_CA_DIR', `${file} holds no ENCRYPTED PRIVATE KEY block`);
  }
  if (block.label !== ENCRYPTED_KEY_LABEL) {
    throw new WiretightError('WT_ERR_CA_DIR', `${file}: the private key is not encrypted`);
  }
  if (passphrase === '')
    throw new WiretightError('WT_ERR_CA_PASSPHRASE', 'the passphrase is empty');
  try {
    return createPrivateKey({
      key: pem(ENCRYPTED_KEY_LABEL, block.der),
      format: 'pem',
      passphrase,
    });
  } catch (cause) {
    throw new WiretightError('WT_ERR_CA_PASSPHRASE', `the passphrase does not decrypt ${file}`, {
      cause,
    });
  }
}
