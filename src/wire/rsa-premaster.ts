/**
 * The RSA premaster block before encryption (RFC 8017 §7.2.1, EME-PKCS1-v1_5, carrying the
 * 48-byte TLS premaster of RFC 5246 §7.4.7.1): 00 02 ‖ nonzero padding ‖ 00 ‖ version ‖ 46
 * random bytes. The ROBOT test (robotattack.org) sends one correct block and four broken
 * in one way each; `classifyPremasterBlock` tells the five apart, so one table describes both
 * what a probe sends and what an oracle server would see.
 */

/** The five blocks of the ROBOT test, in the order the test sends them. */
export const PREMASTER_VARIANTS = [
  'valid',
  'wrong-first-bytes',
  'zero-wrong-position',
  'no-zero-separator',
  'wrong-version',
] as const;

export type PremasterVariant = (typeof PREMASTER_VARIANTS)[number];

/** Bytes of a TLS premaster secret, and of its random part after the 2-byte version. */
export const PREMASTER_LENGTH = 48;
export const PREMASTER_RANDOM_LENGTH = 46;
/** RFC 8017: at least 8 padding bytes, so a block needs 3 + 8 + 48 bytes of modulus. */
const MIN_PADDING = 8;
export const MIN_MODULUS_BYTES = 3 + MIN_PADDING + PREMASTER_LENGTH;

/** The nonzero filler robot-detect and sslyze use for the padding string. */
const FILLER = [0xab, 0xcd] as const;

/**
 * The block of `variant` for an RSA modulus `modulus` (big-endian, as in the certificate):
 * always exactly as long as the modulus and, read as a number, below it, so raw RSA
 * encryption can take it. `random` is the 46-byte tail of the premaster; it must hold no
 * zero byte, or the variant without a separator would have one.
 */
export function premasterBlock(
  variant: PremasterVariant,
  modulus: Uint8Array,
  clientVersion: number,
  random: Uint8Array,
): Uint8Array {
  const n = stripLeadingZeros(modulus);
  const k = n.length;
  if (k < MIN_MODULUS_BYTES) {
    throw new RangeError(
      `an RSA modulus of ${k} bytes cannot carry a premaster (${MIN_MODULUS_BYTES} needed)`,
    );
  }
  if (random.length !== PREMASTER_RANDOM_LENGTH || random.includes(0)) {
    throw new RangeError(`the premaster random must be ${PREMASTER_RANDOM_LENGTH} nonzero bytes`);
  }
  if (!Number.isInteger(clientVersion) || clientVersion < 0x0300 || clientVersion > 0x03ff) {
    // 3.x keeps the wrong-version variant (2.2) distinct from every real one.
    throw new RangeError(`client version ${clientVersion} is not an SSL 3 or TLS version`);
  }
  const block = new Uint8Array(k);
  const padding = k - 3 - PREMASTER_LENGTH;
  block[0] = 0x00;
  block[1] = 0x02;
  for (let i = 0; i < padding; i++) block[2 + i] = FILLER[i % 2] as number;
  const tail = block.subarray(2 + padding);
  const major = clientVersion >> 8;
  const minor = clientVersion & 0xff;
  switch (variant) {
    case 'valid':
      tail.set([0x00, major, minor, ...random]);
      break;
    case 'wrong-first-bytes':
      // robot-detect's 41 17, unless the modulus itself starts that low (a key whose bit
      // length is not a multiple of 8): then 00 17, still not 00 02 and below the modulus.
      block.set((n[0] as number) > 0x41 ? [0x41, 0x17] : [0x00, 0x17]);
      tail.set([0x00, major, minor, ...random]);
      break;
    case 'zero-wrong-position':
      // The only zero sits two bytes from the end: a 1-byte "premaster".
      tail.set([0x11, ...random, 0x00, 0x11]);
      break;
    case 'no-zero-separator':
      tail.set([0x11, 0x11, 0x11, ...random]);
      break;
    case 'wrong-version':
      tail.set([0x00, 0x02, 0x02, ...random]);
      break;
  }
  return block;
}

/**
 * What a server that decrypted `block` would find wrong with it, checked in the order an
 * unprotected PKCS#1 v1.5 decoder fails: the first two bytes, then the separator, then the
 * premaster length, then the version it carries.
 */
export function classifyPremasterBlock(block: Uint8Array, clientVersion: number): PremasterVariant {
  if (block[0] !== 0x00 || block[1] !== 0x02) return 'wrong-first-bytes';
  const separator = block.indexOf(0x00, 2);
  if (separator < 0) return 'no-zero-separator';
  if (separator < 2 + MIN_PADDING || block.length - separator - 1 !== PREMASTER_LENGTH) {
    return 'zero-wrong-position';
  }
  const version = ((block[separator + 1] as number) << 8) | (block[separator + 2] as number);
  return version === clientVersion ? 'valid' : 'wrong-version';
}

function stripLeadingZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  return b.subarray(i);
}
