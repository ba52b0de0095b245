import assert from 'node:assert/strict';
import test from 'node:test';
import { starttlsDialer } from './dialer.ts';
import { STARTTLS_PROTOCOL_NAMES, isStarttlsProtocol, starttlsForPort } from './protocols.ts';

test('well-known cleartext ports map to their STARTTLS protocol', () => {
  const expected = {
    25: 'smtp',
    587: 'smtp',
    24: 'lmtp',
    143: 'imap',
    110: 'pop3',
    21: 'ftp',
    5222: 'xmpp',
    389: 'ldap',
    5432: 'postgres',
    3306: 'mysql',
    119: 'nntp',
    4190: 'sieve',
  } as const;
  for (const [port, protocol] of Object.entries(expected)) {
    assert.equal(starttlsForPort(Number(port)), protocol, `port ${port}`);
  }
});

test('implicit-TLS and other ports have no STARTTLS protocol', () => {
  for (const port of [443, 465, 993, 995, 636, 563, 5223, 8443, 0, 65535]) {
    assert.equal(starttlsForPort(port), undefined, `port ${port}`);
  }
});

test('protocol names are checked; an unknown one is a TypeError', () => {
  assert.equal(STARTTLS_PROTOCOL_NAMES.length, 11);
  assert.ok(isStarttlsProtocol('postgres'));
  assert.ok(!isStarttlsProtocol('toString'));
  assert.ok(!isStarttlsProtocol('https'));
  assert.throws(() => starttlsDialer('https' as 'smtp'), TypeError);
});
