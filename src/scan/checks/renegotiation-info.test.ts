import assert from 'node:assert/strict';
import test from 'node:test';
import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import { encodeRenegotiationInfo } from '../../wire/extensions/renegotiation-info.ts';
import { TLS_EMPTY_RENEGOTIATION_INFO_SCSV } from '../../wire/registry/cipher-suites.ts';
import { EXTENSION_TYPES as X } from '../../wire/registry/extension-types.ts';
import { RenegotiationInfoCheck } from './renegotiation-info.ts';
import { driveCheck } from './testdata/reactions.ts';
import { handshakeFailure, helloOutcome, legacyServerHello } from './testdata/outcomes.ts';

const INPUT = { sni: 'example.com', accepted: { 'TLSv1.3': [0x1301], 'TLSv1.2': [0xc02f] } };

function withRenegotiationInfo(data: Uint8Array | undefined): HelloOutcome {
  const extensions = data === undefined ? [] : [{ type: X.renegotiation_info, data }];
  return helloOutcome(legacyServerHello(0x0303, 0xc02f, extensions));
}

function conclude(outcome: HelloOutcome, input = INPUT) {
  const check = new RenegotiationInfoCheck(input);
  assert.equal(driveCheck(check, () => outcome).length, 1);
  return check.conclude();
}

test('the hello signals RFC 5746 with the extension; SSLv3 with the SCSV', () => {
  const tls = new RenegotiationInfoCheck(INPUT).next();
  assert.equal(tls?.hello.renegotiationInfo, true);
  assert.ok(!tls?.hello.cipherSuites.includes(TLS_EMPTY_RENEGOTIATION_INFO_SCSV));
  const ssl3 = new RenegotiationInfoCheck({ sni: undefined, accepted: { SSLv3: [0x000a] } }).next();
  assert.equal(ssl3?.hello.version, 0x0300);
  assert.deepEqual(ssl3?.hello.cipherSuites, [0x000a, TLS_EMPTY_RENEGOTIATION_INFO_SCSV]);
});

test('an empty renegotiation_info back is secure; none is the finding', () => {
  assert.equal(
    conclude(withRenegotiationInfo(encodeRenegotiationInfo())).verdict,
    'not-vulnerable',
  );
  const missing = conclude(withRenegotiationInfo(undefined));
  assert.equal(missing.verdict, 'vulnerable');
  assert.match(missing.reason, /TLSv1\.2 ServerHello has no renegotiation_info/);
  const noBlock = conclude(helloOutcome(legacyServerHello(0x0303, 0xc02f, null)));
  assert.equal(noBlock.verdict, 'vulnerable');
});

test('hostile: non-empty or malformed renegotiation_info, a refusal: inconclusive', () => {
  const nonEmpty = conclude(withRenegotiationInfo(encodeRenegotiationInfo(new Uint8Array(12))));
  assert.equal(nonEmpty.verdict, 'inconclusive');
  assert.match(nonEmpty.reason, /12 bytes of renegotiation_info/);
  const broken = conclude(withRenegotiationInfo(Uint8Array.of(5, 1)));
  assert.equal(broken.verdict, 'inconclusive');
  assert.match(broken.reason, /renegotiated_connection/);
  assert.equal(conclude(handshakeFailure).verdict, 'inconclusive');
});

test('not applicable to a TLS 1.3-only server', () => {
  const check = new RenegotiationInfoCheck({ sni: undefined, accepted: { 'TLSv1.3': [0x1301] } });
  assert.equal(check.next(), undefined);
  assert.equal(check.conclude().verdict, 'not-applicable');
});
