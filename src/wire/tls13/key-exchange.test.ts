import assert from 'node:assert/strict';
import {
  createPublicKey,
  diffieHellman,
  encapsulate,
  generateKeyPairSync,
  randomBytes,
} from 'node:crypto';
import test from 'node:test';
import fc from 'fast-check';
import { concatBytes, fromHex } from '../../core/bytes.ts';
import { DecodeError, WiretightError } from '../../errors.ts';
import { KEY_SHARE_GROUPS, generateKeyShare, supportedKeyShareGroups } from './key-exchange.ts';

const G = KEY_SHARE_GROUPS;
const SERVER_SHARE_LENGTH: Record<number, number> = {
  [G.x25519]: 32,
  [G.x448]: 56,
  [G.secp256r1]: 65,
  [G.secp384r1]: 97,
  [G.secp521r1]: 133,
  [G.X25519MLKEM768]: 1088 + 32,
  [G.SecP256r1MLKEM768]: 65 + 1088,
  [G.SecP384r1MLKEM1024]: 97 + 1568,
};
const CLIENT_SHARE_LENGTH: Record<number, number> = {
  ...SERVER_SHARE_LENGTH,
  [G.X25519MLKEM768]: 1184 + 32,
  [G.SecP256r1MLKEM768]: 65 + 1184,
  [G.SecP384r1MLKEM1024]: 97 + 1568,
};
const CLASSICAL = [G.x25519, G.x448, G.secp256r1, G.secp384r1, G.secp521r1];
const supported = supportedKeyShareGroups();

test('classical groups: both sides of one exchange agree', () => {
  for (const group of CLASSICAL) {
    const client = generateKeyShare(group);
    const server = generateKeyShare(group);
    assert.equal(client.publicKey.length, CLIENT_SHARE_LENGTH[group]);
    assert.deepEqual(client.sharedSecret(server.publicKey), server.sharedSecret(client.publicKey));
  }
});

test('NIST shares are uncompressed points and the secret is the full-width x coordinate', () => {
  for (const [group, width] of [
    [G.secp256r1, 32],
    [G.secp384r1, 48],
    [G.secp521r1, 66],
  ] as const) {
    const client = generateKeyShare(group);
    assert.equal(client.publicKey[0], 0x04);
    assert.equal(client.sharedSecret(generateKeyShare(group).publicKey).length, width);
  }
});

test(
  'X25519MLKEM768: key_exchange = ML-KEM ek || x25519, secret = ML-KEM ss || x25519 ss',
  {
    skip: !supported.includes(G.X25519MLKEM768) && 'ML-KEM not available',
  },
  () => {
    const client = generateKeyShare(G.X25519MLKEM768);
    const ek = client.publicKey.subarray(0, 1184);
    const clientX = client.publicKey.subarray(1184);
    // The server's side, done with node:crypto directly.
    const kem = encapsulate(
      createPublicKey({
        key: Buffer.from(ek),
        format: 'raw-public',
        asymmetricKeyType: 'ml-kem-768',
      }),
    );
    const x = generateKeyPairSync('x25519');
    const serverX = Buffer.from(x.publicKey.export({ format: 'jwk' }).x!, 'base64url');
    const xSecret = diffieHellman({
      privateKey: x.privateKey,
      publicKey: createPublicKey({
        key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(clientX).toString('base64url') },
        format: 'jwk',
      }),
    });
    const secret = client.sharedSecret(concatBytes([kem.ciphertext, serverX]));
    assert.deepEqual(secret, concatBytes([kem.sharedKey, xSecret]));
  },
);

test('an injected private key gives a deterministic share', () => {
  const cases: [number, number][] = [
    [G.x25519, 32],
    [G.x448, 56],
    [G.secp256r1, 32],
    [G.secp384r1, 48],
    [G.secp521r1, 66],
  ];
  if (supported.includes(G.X25519MLKEM768)) cases.push([G.X25519MLKEM768, 64 + 32]);
  for (const [group, length] of cases) {
    const key = randomBytes(length);
    if (group >= G.secp256r1 && group <= G.secp521r1) key[0] = 0x01; // below the group order
    const a = generateKeyShare(group, { privateKey: key });
    const b = generateKeyShare(group, { privateKey: key });
    assert.deepEqual(a.publicKey, b.publicKey);
    assert.equal(a.publicKey.length, CLIENT_SHARE_LENGTH[group]);
  }
  assert.throws(() => generateKeyShare(G.x25519, { privateKey: new Uint8Array(31) }), RangeError);
  assert.throws(
    () => generateKeyShare(G.secp256r1, { privateKey: new Uint8Array(32) }),
    RangeError,
  );
  const aboveOrder = new Uint8Array(32).fill(0xff);
  assert.throws(() => generateKeyShare(G.secp256r1, { privateKey: aboveOrder }), RangeError);
});

test('an unknown group is a RangeError', () => {
  assert.throws(() => generateKeyShare(0x0100), RangeError);
  assert.throws(() => generateKeyShare(0x001d + 0x10000), RangeError);
});

test('a server share of the wrong length is a DecodeError', () => {
  for (const group of supported) {
    const share = generateKeyShare(group);
    const n = SERVER_SHARE_LENGTH[group]!;
    for (const len of [0, 1, n - 1, n + 1]) {
      assert.throws(() => share.sharedSecret(new Uint8Array(len)), DecodeError, `group ${group}`);
    }
  }
});

test('x25519/x448 low-order points are refused', () => {
  const share = generateKeyShare(G.x25519);
  for (const u of [
    '00',
    '01',
    'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  ]) {
    const point = new Uint8Array(32);
    point.set(fromHex(u));
    assert.throws(() => share.sharedSecret(point), { code: 'WT_ERR_WIRE_DECODE' });
  }
  assert.throws(() => generateKeyShare(G.x448).sharedSecret(new Uint8Array(56)), DecodeError);
});

test('NIST points that are compressed or off the curve are refused', () => {
  const share = generateKeyShare(G.secp256r1);
  const good = generateKeyShare(G.secp256r1).publicKey;
  const compressed = good.slice();
  compressed[0] = 0x02;
  assert.throws(() => share.sharedSecret(compressed), /uncompressed/);
  const offCurve = good.slice();
  offCurve[64]! ^= 1;
  assert.throws(() => share.sharedSecret(offCurve), /not a point on the curve/);
  assert.throws(
    () => share.sharedSecret(new Uint8Array(65).fill(0xff, 0).fill(4, 0, 1)),
    DecodeError,
  );
});

test(
  'a hybrid with a garbage classical half is refused',
  {
    skip: !supported.includes(G.X25519MLKEM768) && 'ML-KEM not available',
  },
  () => {
    const share = generateKeyShare(G.X25519MLKEM768);
    assert.throws(
      () => share.sharedSecret(new Uint8Array(1088 + 32)),
      (e: unknown) => {
        assert.ok(e instanceof DecodeError);
        assert.equal(e.offset, 1088);
        return true;
      },
    );
  },
);

test('property: any server bytes give a secret or a WiretightError, never anything else', () => {
  const shares = supported.map((group) => generateKeyShare(group));
  fc.assert(
    fc.property(
      fc.constantFrom(...shares),
      fc.boolean(),
      fc.uint8Array({ maxLength: 1700 }),
      (share, rightLength, bytes) => {
        let input = bytes;
        if (rightLength) {
          input = new Uint8Array(SERVER_SHARE_LENGTH[share.group]!);
          input.set(bytes.subarray(0, input.length));
          if (bytes[0] !== undefined && bytes[0] < 128 && share.group !== G.x25519) input[0] = 4;
        }
        try {
          share.sharedSecret(input);
        } catch (error) {
          assert.ok(error instanceof WiretightError, String(error));
        }
      },
    ),
    { numRuns: 300 },
  );
});
