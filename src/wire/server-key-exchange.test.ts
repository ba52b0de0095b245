import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { ByteWriter, concatBytes } from '../core/bytes.ts';
import { WiretightError } from '../errors.ts';
import { bitLength, parseServerKeyExchange } from './server-key-exchange.ts';

const KX_KINDS = ['ECDHE', 'DHE', 'RSA', 'PSK', 'RSA-PSK', 'DHE-PSK', 'ECDHE-PSK', 'SRP'] as const;

function dhParams(p: Uint8Array, g: Uint8Array, ys: Uint8Array): Uint8Array {
  return new ByteWriter().vectorOf(2, p).vectorOf(2, g).vectorOf(2, ys).finish();
}

function ecParams(group: number, point: Uint8Array): Uint8Array {
  return new ByteWriter().u8(3).u16(group).vectorOf(1, point).finish();
}

/** A TLS 1.2 digitally-signed tail: scheme, then a 2-byte-length signature. */
function signature(scheme: number): Uint8Array {
  return new ByteWriter().u16(scheme).vectorOf(2, new Uint8Array(64).fill(9)).finish();
}

/** A 1024-bit prime-sized value: top bit set, sent with a leading zero byte as some servers do. */
function prime1024WithLeadingZero(): Uint8Array {
  const p = new Uint8Array(129).fill(0xff);
  p[0] = 0;
  p[1] = 0x80 | 0x3c;
  return p;
}

test('bitLength ignores leading zero bytes', () => {
  assert.equal(bitLength(new Uint8Array(0)), 0);
  assert.equal(bitLength(Uint8Array.of(0, 0)), 0);
  assert.equal(bitLength(Uint8Array.of(1)), 1);
  assert.equal(bitLength(Uint8Array.of(0, 0x80, 0)), 16);
  assert.equal(bitLength(Uint8Array.of(0x7f, 0xff)), 15);
  fc.assert(
    fc.property(fc.bigInt({ min: 1n, max: (1n << 4096n) - 1n }), fc.nat({ max: 3 }), (n, pad) => {
      const hex = n.toString(16);
      const bytes = Buffer.from((hex.length % 2 === 1 ? '0' : '') + hex, 'hex');
      const padded = concatBytes([new Uint8Array(pad), new Uint8Array(bytes)]);
      assert.equal(bitLength(padded), n.toString(2).length);
    }),
  );
});

test('DHE: prime bit length with a leading zero byte, generator, signature scheme', () => {
  const p = prime1024WithLeadingZero();
  const body = concatBytes([
    dhParams(p, Uint8Array.of(2), new Uint8Array(128).fill(3)),
    signature(0x0804),
  ]);
  const params = parseServerKeyExchange(body, 'DHE', true);
  assert.deepEqual(params, {
    kind: 'dhe',
    primeBits: 1024,
    generator: 2,
    prime: p,
    signatureScheme: 0x0804,
  });
  // Before TLS 1.2 there is no scheme in front of the signature.
  const old = parseServerKeyExchange(body, 'DHE', false);
  assert.equal(old?.kind, 'dhe');
  assert.equal(old !== undefined && 'signatureScheme' in old, false);
});

test('DHE: a 2048-bit prime and a multi-byte generator', () => {
  const p = new Uint8Array(256).fill(0xff);
  const params = parseServerKeyExchange(
    dhParams(p, Uint8Array.of(0, 5), Uint8Array.of(1)),
    'DHE',
    false,
  );
  assert.equal(params?.kind === 'dhe' && params.primeBits, 2048);
  assert.equal(params?.kind === 'dhe' && params.generator, 5);
});

test('ECDHE: named group, point length and signature scheme', () => {
  const point = new Uint8Array(65).fill(4);
  const body = concatBytes([ecParams(0x0017, point), signature(0x0403)]);
  assert.deepEqual(parseServerKeyExchange(body, 'ECDHE', true), {
    kind: 'ecdhe',
    group: 0x0017,
    publicKeyLength: 65,
    signatureScheme: 0x0403,
  });
  assert.deepEqual(parseServerKeyExchange(ecParams(0x001d, new Uint8Array(32)), 'ECDHE', true), {
    kind: 'ecdhe',
    group: 0x001d,
    publicKeyLength: 32,
  });
});

test('ECDHE: explicit curves are reported as ecdhe-explicit', () => {
  for (const curveType of [1, 2]) {
    const body = concatBytes([Uint8Array.of(curveType), new Uint8Array(40).fill(0xee)]);
    assert.deepEqual(parseServerKeyExchange(body, 'ECDHE', true), {
      kind: 'ecdhe-explicit',
      curveType,
    });
  }
});

test('RSA (export): temporary modulus bit length', () => {
  const modulus = new Uint8Array(64).fill(0xc3);
  const body = new ByteWriter()
    .vectorOf(2, modulus)
    .vectorOf(2, Uint8Array.of(1, 0, 1))
    .finish();
  assert.deepEqual(parseServerKeyExchange(body, 'RSA', false), { kind: 'rsa', modulusBits: 512 });
  const withZero = new ByteWriter()
    .vectorOf(2, concatBytes([Uint8Array.of(0), new Uint8Array(128).fill(0x80)]))
    .vectorOf(2, Uint8Array.of(3))
    .finish();
  assert.deepEqual(parseServerKeyExchange(withZero, 'RSA', false), {
    kind: 'rsa',
    modulusBits: 1024,
  });
});

test('PSK, DHE-PSK, ECDHE-PSK and SRP', () => {
  const hint = new TextEncoder().encode('hint');
  const hintVec = new ByteWriter().vectorOf(2, hint).finish();
  assert.deepEqual(parseServerKeyExchange(hintVec, 'PSK', false), {
    kind: 'psk',
    identityHint: hint,
  });
  assert.deepEqual(parseServerKeyExchange(hintVec, 'RSA-PSK', false), {
    kind: 'psk',
    identityHint: hint,
  });
  const p = prime1024WithLeadingZero();
  const dhePsk = parseServerKeyExchange(
    concatBytes([hintVec, dhParams(p, Uint8Array.of(2), Uint8Array.of(7))]),
    'DHE-PSK',
    true,
  );
  assert.equal(dhePsk?.kind === 'dhe' && dhePsk.primeBits, 1024);
  assert.deepEqual(
    parseServerKeyExchange(
      concatBytes([hintVec, ecParams(0x001d, new Uint8Array(32))]),
      'ECDHE-PSK',
      true,
    ),
    { kind: 'ecdhe', group: 0x001d, publicKeyLength: 32 },
  );
  const srp = new ByteWriter().vectorOf(2, new Uint8Array(256).fill(0xff)).finish();
  assert.deepEqual(parseServerKeyExchange(srp, 'SRP', false), { kind: 'srp', primeBits: 2048 });
});

test('a key exchange without parameters returns undefined', () => {
  assert.equal(parseServerKeyExchange(Uint8Array.of(1, 2, 3), 'KRB5', true), undefined);
  assert.equal(parseServerKeyExchange(new Uint8Array(0), '', false), undefined);
});

test('empty or truncated parameters are DecodeErrors', () => {
  const decode = (err: unknown): boolean =>
    err instanceof WiretightError && err.code === 'WT_ERR_WIRE_DECODE';
  assert.throws(
    () =>
      parseServerKeyExchange(
        dhParams(new Uint8Array(0), Uint8Array.of(2), Uint8Array.of(1)),
        'DHE',
        true,
      ),
    decode,
  );
  assert.throws(
    () => parseServerKeyExchange(ecParams(29, new Uint8Array(0)), 'ECDHE', true),
    decode,
  );
  const valid = dhParams(prime1024WithLeadingZero(), Uint8Array.of(2), Uint8Array.of(5));
  for (let n = 0; n < valid.length; n++) {
    assert.throws(
      () => parseServerKeyExchange(valid.subarray(0, n), 'DHE', true),
      decode,
      `cut ${n}`,
    );
  }
});

function parsesOrWiretightError(body: Uint8Array, kx: string, tls12: boolean): void {
  try {
    parseServerKeyExchange(body, kx, tls12);
  } catch (err) {
    assert.ok(err instanceof WiretightError, `${kx}: not a WiretightError: ${String(err)}`);
  }
}

test('hostile input: random bytes for every key exchange parse or throw a WiretightError', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 80 }),
      fc.constantFrom(...KX_KINDS),
      fc.boolean(),
      (b, kx, tls12) => parsesOrWiretightError(b, kx, tls12),
    ),
    { numRuns: 5000 },
  );
});

test('hostile input: every truncation of valid messages, for every key exchange', () => {
  const hint = new ByteWriter().vectorOf(2, Uint8Array.of(1, 2)).finish();
  const dh = dhParams(prime1024WithLeadingZero(), Uint8Array.of(2), Uint8Array.of(5));
  const ec = ecParams(0x17, new Uint8Array(65).fill(4));
  const valid: Record<(typeof KX_KINDS)[number], Uint8Array> = {
    ECDHE: concatBytes([ec, signature(0x0403)]),
    DHE: concatBytes([dh, signature(0x0804)]),
    RSA: new ByteWriter()
      .vectorOf(2, new Uint8Array(64).fill(0xc3))
      .vectorOf(2, Uint8Array.of(3))
      .finish(),
    PSK: hint,
    'RSA-PSK': hint,
    'DHE-PSK': concatBytes([hint, dh]),
    'ECDHE-PSK': concatBytes([hint, ec]),
    SRP: new ByteWriter().vectorOf(2, new Uint8Array(128).fill(0xff)).finish(),
  };
  for (const kx of KX_KINDS) {
    const body = valid[kx];
    assert.notEqual(parseServerKeyExchange(body, kx, true), undefined, kx);
    for (let n = 0; n <= body.length; n++) {
      parsesOrWiretightError(body.subarray(0, n), kx, true);
      parsesOrWiretightError(body.subarray(0, n), kx, false);
    }
  }
});
