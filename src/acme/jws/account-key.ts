/**
 * Account keys from hostile JWKs: only public EC P-256/P-384, RSA 2048-8192 bit and
 * Ed25519 keys are accepted, reduced to the members their RFC 7638 thumbprint covers, so
 * two spellings of one key (extra `kid`, `use`, `alg` members) are the same account key.
 */
import { X509Certificate } from 'node:crypto';
import { type CryptoKey, calculateJwkThumbprint, importJWK } from 'jose';
import { AcmeProblem } from '../problems.ts';
import type { AccountKey } from '../store.ts';
import { ACCOUNT_ALGORITHMS, type AccountAlgorithm } from './algorithms.ts';
import { decodeBase64url } from './flattened.ts';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const CURVE_BYTES: Readonly<Record<string, number>> = { 'P-256': 32, 'P-384': 48, Ed25519: 32 };
const RSA_MIN_BYTES = 256;
const RSA_MAX_BYTES = 1024;

function member(jwk: Record<string, unknown>, name: string): Buffer {
  const value = jwk[name];
  const bytes = typeof value === 'string' ? decodeBase64url(value) : undefined;
  if (bytes === undefined || bytes.length === 0) {
    throw new AcmeProblem('malformed', `the JWK's "${name}" is not a base64url string`);
  }
  return bytes;
}

function curveMember(jwk: Record<string, unknown>, name: string, crv: string): string {
  const bytes = member(jwk, name);
  if (bytes.length !== CURVE_BYTES[crv]) {
    throw new AcmeProblem('malformed', `the JWK's "${name}" is not a ${crv} coordinate`);
  }
  return bytes.toString('base64url');
}

function supportedCurve(jwk: Record<string, unknown>, allowed: readonly string[]): string {
  const crv = jwk['crv'];
  if (typeof crv !== 'string' || !allowed.includes(crv)) {
    throw new AcmeProblem(
      'badPublicKey',
      `curve ${String(crv).slice(0, 20)} is not supported (${allowed.join(', ')})`,
    );
  }
  return crv;
}

const KEY_READERS: Readonly<Record<string, (jwk: Record<string, unknown>) => AccountKey>> = {
  EC: (jwk) => {
    const crv = supportedCurve(jwk, ['P-256', 'P-384']);
    return { crv, kty: 'EC', x: curveMember(jwk, 'x', crv), y: curveMember(jwk, 'y', crv) };
  },
  OKP: (jwk) => {
    const crv = supportedCurve(jwk, ['Ed25519']);
    return { crv, kty: 'OKP', x: curveMember(jwk, 'x', crv) };
  },
  RSA: (jwk) => {
    const n = member(jwk, 'n');
    const e = member(jwk, 'e');
    if (n[0] === 0 || e[0] === 0) {
      throw new AcmeProblem('malformed', 'the RSA JWK has leading zero octets');
    }
    if (n.length < RSA_MIN_BYTES || n.length > RSA_MAX_BYTES) {
      throw new AcmeProblem(
        'badPublicKey',
        `an RSA account key must have 2048 to 8192 bits, not ${n.length * 8}`,
      );
    }
    if (e.length > 4 || ((e.at(-1) ?? 0) & 1) === 0 || e.readUIntBE(0, e.length) < 3) {
      throw new AcmeProblem('badPublicKey', 'the RSA public exponent is not a small odd number');
    }
    return { e: e.toString('base64url'), kty: 'RSA', n: n.toString('base64url') };
  },
};

/** A public account key from an untrusted JWK; badPublicKey or malformed otherwise. */
export function accountKeyFromJwk(value: unknown): AccountKey {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AcmeProblem('malformed', 'jwk is not a JSON object');
  }
  const jwk = value as Record<string, unknown>;
  if (PRIVATE_MEMBERS.some((name) => name in jwk)) {
    throw new AcmeProblem('malformed', 'the JWK holds private key material');
  }
  const kty = jwk['kty'];
  const read = typeof kty === 'string' ? KEY_READERS[kty] : undefined;
  if (read === undefined) {
    throw new AcmeProblem(
      'badPublicKey',
      `key type ${String(kty).slice(0, 20)} is not supported (EC, RSA, OKP)`,
    );
  }
  return read(jwk);
}

/** The subject public key of a DER certificate as an account key (revocation by cert key). */
export function accountKeyFromCertificate(der: Uint8Array): AccountKey | undefined {
  try {
    const jwk = new X509Certificate(der).publicKey.export({ format: 'jwk' });
    return accountKeyFromJwk(jwk);
  } catch {
    return undefined;
  }
}

export function thumbprint(key: AccountKey): Promise<string> {
  return calculateJwkThumbprint({ ...key }, 'sha256');
}

/** Whether `alg` signs with keys like `key` (ES256 needs P-256, RS256 an RSA key…). */
export function algorithmFits(alg: AccountAlgorithm, key: AccountKey): boolean {
  const needs: { kty: string; crv?: string } = ACCOUNT_ALGORITHMS[alg];
  return needs.kty === key['kty'] && (needs.crv === undefined || needs.crv === key['crv']);
}

export async function importAccountKey(key: AccountKey, alg: AccountAlgorithm): Promise<CryptoKey> {
  const imported = await importJWK({ ...key }, alg);
  if (imported instanceof Uint8Array) throw new TypeError('an account key is never a secret');
  return imported;
}
