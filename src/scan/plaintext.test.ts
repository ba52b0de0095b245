import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { identifyPlaintext } from './plaintext.ts';

const bytes = (s: string | number[]) =>
  typeof s === 'string' ? new Uint8Array(Buffer.from(s, 'latin1')) : new Uint8Array(s);

test('real banners and error answers are recognised', () => {
  const cases: [string | number[], string, string][] = [
    ['HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n', 'http', 'HTTP: HTTP/1.1 400 Bad Request'],
    ['SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n', 'ssh', 'SSH: SSH-2.0-OpenSSH_9.2p1 Debian-2'],
    [
      '220 mail.example ESMTP Postfix (Debian/GNU)\r\n',
      'smtp',
      'SMTP: 220 mail.example ESMTP Postfix (Debian/GNU)',
    ],
    ['220 (vsFTPd 3.0.3)\r\n', 'ftp', 'FTP: 220 (vsFTPd 3.0.3)'],
    [
      '220 ProFTPD Server (Debian) FTP ready\r\n',
      'ftp',
      'FTP: 220 ProFTPD Server (Debian) FTP ready',
    ],
    ['+OK Dovecot ready.\r\n', 'pop3', 'POP3: +OK Dovecot ready.'],
    [
      '* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n',
      'imap',
      'IMAP: * OK [CAPABILITY IMAP4rev1] Dovecot ready.',
    ],
    ['-ERR unknown command\r\n', 'redis', 'Redis: -ERR unknown command'],
    ['RFB 003.008\n', 'vnc', 'VNC: RFB 003.008'],
    ["<?xml version='1.0'?><stream:stream", 'xmpp', "XMPP: <?xml version='1.0'?><stream:stream"],
    ['INFO {"server_id":"x"}\r\n', 'nats', 'NATS: INFO {"server_id":"x"}'],
  ];
  for (const [input, protocol, description] of cases) {
    assert.deepEqual(identifyPlaintext(bytes(input)), { protocol, description }, String(input));
  }
});

test('a MySQL greeting is recognised with its version', () => {
  const version = Buffer.from('8.0.36-0ubuntu0.22.04.1', 'latin1');
  const payload = [0x0a, ...version, 0, 1, 2, 3, 4];
  const packet = [payload.length, 0, 0, 0, ...payload];
  assert.deepEqual(identifyPlaintext(bytes(packet)), {
    protocol: 'mysql',
    description: 'MySQL/MariaDB 8.0.36-0ubuntu0.22.04.1',
  });
});

test('unknown bytes are described, control characters masked', () => {
  const r = identifyPlaintext(bytes([0x00, 0x41, 0x0d, 0x0a]));
  assert.equal(r.protocol, 'unknown');
  assert.equal(r.description, 'an unrecognised protocol: .A');
});

test('any bytes give an identification, never an exception', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
      const r = identifyPlaintext(b);
      assert.ok(r.description.length <= 120);
    }),
  );
});
