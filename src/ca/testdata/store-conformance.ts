// What every CaStore backend must do, as tests: run by the SQLite store's tests and by the
// in-memory store the CA's own tests use, so both behave alike.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CaStore } from '../store.ts';
import type { CertificateRecord } from '../types.ts';

const now = new Date('2030-01-01T00:00:00Z');
const hours = (h: number): Date => new Date(now.getTime() + h * 3_600_000);

export function storedRecord(
  serial: string,
  notAfterHours: number,
  extra: Partial<CertificateRecord> = {},
): CertificateRecord {
  return {
    serial,
    commonName: `${serial}.svc.internal`,
    identifiers: [
      { type: 'dns', value: `${serial}.svc.internal` },
      { type: 'ip', value: '10.0.0.1' },
    ],
    usage: 'server',
    keyAlgorithm: 'ecdsa-p256',
    notBefore: hours(-1),
    notAfter: hours(notAfterHours),
    issuedAt: hours(-1),
    provisioner: 'cli',
    requestedBy: null,
    der: Uint8Array.of(0x30, 0x03, 0x02, 0x01, serial.length),
    status: 'valid',
    revokedAt: null,
    revocationReason: null,
    ...extra,
  };
}

const storeFailed = (err: unknown): boolean =>
  (err as { code?: string }).code === 'WT_ERR_STORE_FAILED';

/** Registers the conformance tests; `open` gives a fresh, empty store each call. */
export function storeConformance(name: string, open: () => CaStore): void {
  test(`${name}: records round-trip; a serial cannot be inserted twice`, async () => {
    const store = open();
    const r = storedRecord('aa', 24, { requestedBy: 'acme:acct/1', provisioner: 'acme' });
    await store.insert(r);
    assert.deepEqual(await store.get('aa'), r);
    assert.equal(await store.get('bb'), undefined);
    await assert.rejects(store.insert(r), storeFailed);
    await store.close();
  });

  test(`${name}: list filters by status at now, by expiry window, orders by notAfter, limits`, async () => {
    const store = open();
    await store.insert(storedRecord('late', 48));
    await store.insert(storedRecord('soon', 2));
    await store.insert(storedRecord('gone', -1));
    await store.insert(storedRecord('bad', 10));
    await store.revoke('bad', hours(0), 'keyCompromise');
    const serials = (rs: CertificateRecord[]): string[] => rs.map((r) => r.serial);
    assert.deepEqual(serials(await store.list({ now })), ['gone', 'soon', 'bad', 'late']);
    assert.deepEqual(serials(await store.list({ now, status: 'valid' })), ['soon', 'late']);
    assert.deepEqual(serials(await store.list({ now, status: 'expired' })), ['gone']);
    assert.deepEqual(serials(await store.list({ now, status: 'revoked' })), ['bad']);
    assert.deepEqual(serials(await store.list({ now, expiringWithinSeconds: 3 * 3600 })), ['soon']);
    assert.deepEqual(serials(await store.list({ now, limit: 1 })), ['gone']);
    assert.deepEqual(await store.count(now), { valid: 2, expired: 1, revoked: 1 });
    assert.equal(await store.countRevoked(), 1);
    await store.close();
  });

  test(`${name}: revoke happens once; revoked entries stay listed until after expiry`, async () => {
    const store = open();
    await store.insert(storedRecord('r1', 24));
    await store.insert(storedRecord('r2', -30));
    const outcomes = await Promise.all([
      store.revoke('r1', hours(1), 'superseded'),
      store.revoke('r1', hours(2), 'keyCompromise'),
    ]);
    assert.deepEqual(outcomes.map((o) => o.outcome).sort(), ['already-revoked', 'revoked']);
    const stored = await store.get('r1');
    assert.equal(stored?.status, 'revoked');
    assert.equal(stored?.revocationReason, 'superseded');
    assert.equal(stored?.revokedAt?.getTime(), hours(1).getTime());
    assert.deepEqual(await store.revoke('nope', now, 'unspecified'), { outcome: 'not-found' });
    await store.revoke('r2', hours(-40), 'unspecified');
    assert.deepEqual(await store.listRevoked(hours(-24)), [
      { serial: 'r1', revokedAt: hours(1), reason: 'superseded' },
    ]);
    assert.equal((await store.listRevoked(hours(-48))).length, 2);
    await store.close();
  });

  test(`${name}: CRL numbers only grow; the highest-numbered CRL saved is the one read`, async () => {
    const store = open();
    assert.deepEqual(
      [await store.nextCrlNumber(), await store.nextCrlNumber(), await store.nextCrlNumber()],
      [1n, 2n, 3n],
    );
    assert.equal(await store.latestCrl(), undefined);
    const crl = (n: bigint) => ({
      number: n,
      thisUpdate: now,
      nextUpdate: hours(24),
      der: Uint8Array.of(Number(n)),
      revokedCount: Number(n),
    });
    await store.saveCrl(crl(3n));
    await store.saveCrl(crl(2n));
    assert.deepEqual(await store.latestCrl(), crl(3n));
    await store.close();
  });
}
