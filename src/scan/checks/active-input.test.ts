import assert from 'node:assert/strict';
import test from 'node:test';
import type { TlsProtocolName } from '../../wire/registry/versions.ts';
import {
  DEFAULT_QUIET_MS,
  activeCheckInput,
  bestLegacyVersion,
  quietPeriodFor,
  supportedVersions,
} from './active-input.ts';
import type { CipherSuiteFacts } from './cipher-suites.ts';

function suiteFacts(version: TlsProtocolName, ids: number[]): CipherSuiteFacts {
  return {
    version,
    supported: ids.length > 0,
    accepted: ids.map((id) => ({ id })),
    serverPreference: undefined,
    chains: [],
    certificateRequested: false,
    refusal: ids.length > 0 ? undefined : 'alert protocol_version',
    anomalies: [],
    serverHelloExtensions: [],
  };
}

test('the input keeps the accepted suites of supported versions, in order, as plain data', () => {
  const input = activeCheckInput(
    new Map([
      ['TLSv1.3', suiteFacts('TLSv1.3', [0x1302, 0x1301])],
      ['TLSv1.2', suiteFacts('TLSv1.2', [0xc030, 0x009c])],
      ['TLSv1.1', suiteFacts('TLSv1.1', [])],
    ]),
    'example.com',
  );
  assert.deepEqual(input, {
    sni: 'example.com',
    accepted: { 'TLSv1.3': [0x1302, 0x1301], 'TLSv1.2': [0xc030, 0x009c] },
  });
  assert.deepEqual(JSON.parse(JSON.stringify(input)), input);
});

test('supported versions come highest first; empty lists do not count', () => {
  assert.deepEqual(
    supportedVersions({
      sni: undefined,
      accepted: { SSLv3: [1], 'TLSv1.3': [2], 'TLSv1.1': [], 'TLSv1.0': [3] },
    }),
    ['TLSv1.3', 'TLSv1.0', 'SSLv3'],
  );
});

test('the best legacy version is the highest TLS ≤ 1.2 one with a suite the filter keeps', () => {
  const input = {
    sni: undefined,
    accepted: { 'TLSv1.3': [0x1301], 'TLSv1.2': [0xc02f], 'TLSv1.0': [0x002f, 0xc013] },
  };
  assert.deepEqual(bestLegacyVersion(input), { version: 'TLSv1.2', suites: [0xc02f] });
  assert.deepEqual(
    bestLegacyVersion(input, (id) => id === 0x002f),
    { version: 'TLSv1.0', suites: [0x002f] },
  );
  assert.equal(bestLegacyVersion({ sni: undefined, accepted: { 'TLSv1.3': [0x1301] } }), undefined);
});

test('the quiet period stays well inside the connection deadline', () => {
  assert.equal(quietPeriodFor(5000), DEFAULT_QUIET_MS);
  assert.equal(quietPeriodFor(3000), 1000);
  assert.equal(quietPeriodFor(2), 1);
  assert.throws(() => quietPeriodFor(0), RangeError);
});
