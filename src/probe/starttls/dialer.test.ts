import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import test, { describe } from 'node:test';
import fc from 'fast-check';
import { WiretightError } from '../../errors.ts';
import { ChunkReader, type Endpoint } from '../connection.ts';
import { drip, serve } from '../testdata/peer.ts';
import { starttlsDialer } from './dialer.ts';
import { StarttlsRefusedError } from './errors.ts';
import { MAX_DIALOGUE_BYTES } from './conversation.ts';
import { STARTTLS_PROTOCOL_NAMES, type StarttlsProtocol } from './protocols.ts';
import { ECHO, scriptedServer } from './testdata/scripted-peer.ts';
import { SCRIPTS } from './testdata/scripts.ts';

const HELLO = Buffer.from('\x16\x03\x01 pretend ClientHello');

/** Dials through the STARTTLS dialer; the deadline is generous, the tests never wait it out. */
function dial(protocol: StarttlsProtocol, endpoint: Endpoint, timeoutMs = 4000): Promise<Socket> {
  return starttlsDialer(protocol)(endpoint, AbortSignal.timeout(timeoutMs));
}

async function rejection(promise: Promise<Socket>): Promise<WiretightError> {
  try {
    const socket = await promise;
    socket.destroy();
  } catch (err) {
    assert.ok(err instanceof WiretightError, `not a WiretightError: ${String(err)}`);
    return err;
  }
  assert.fail('the dialer resolved');
}

/** What the first bytes after the dialogue read as, through the probes' own reader. */
async function firstAnswer(socket: Socket): Promise<string> {
  const reader = new ChunkReader(socket, AbortSignal.timeout(4000), 1024);
  try {
    reader.write(HELLO);
    const chunk = await reader.read();
    assert.ok(chunk instanceof Uint8Array, `read ended: ${String(chunk)}`);
    return Buffer.from(chunk).toString('latin1');
  } finally {
    reader.close();
  }
}

describe('every protocol', () => {
  for (const protocol of STARTTLS_PROTOCOL_NAMES) {
    const scripts = SCRIPTS[protocol];

    test(`${protocol}: the dialogue ends ready for the ClientHello, nothing left unread`, async (t) => {
      const server = await scriptedServer(t, scripts.accepts);
      const socket = await dial(protocol, server);
      assert.equal(await firstAnswer(socket), `${ECHO}${HELLO.toString('latin1')}`);
    });

    test(`${protocol}: a refusal is a StarttlsRefusedError saying what the server said`, async (t) => {
      const server = await scriptedServer(t, scripts.refuses);
      const err = await rejection(dial(protocol, server));
      assert.ok(err instanceof StarttlsRefusedError, err.message);
      assert.equal(err.code, 'WT_ERR_STARTTLS_REFUSED');
      const { protocol: name, description } = err.plaintext;
      assert.deepEqual({ protocol: name, description }, scripts.refusal);
      // The first bytes are the server's, as it sent them, cut at 64.
      const sent = Buffer.concat(
        scripts.refuses.flatMap((step) =>
          typeof step.server === 'string'
            ? [Buffer.from(step.server, 'latin1')]
            : step.server === undefined
              ? []
              : [Buffer.from(step.server)],
        ),
      ).subarray(0, 64);
      assert.equal(err.plaintext.firstBytesHex, sent.toString('hex'));
      assert.equal(err.plaintext.firstBytesText.length, sent.length);
      assert.deepEqual(JSON.parse(JSON.stringify(err)).plaintext, err.plaintext);
    });

    test(`${protocol}: garbage first is a protocol violation`, async (t) => {
      const server = await serve(t, (s) => s.write('\x16\x03\x01\x00\x02\x02( <bad>\r\n'));
      const err = await rejection(dial(protocol, server));
      assert.equal(err.code, 'WT_ERR_STARTTLS_PROTOCOL', err.message);
    });

    test(`${protocol}: 9 KiB without a line end or a valid header is a violation`, async (t) => {
      const server = await serve(t, (s) => s.write('A'.repeat(9 * 1024)));
      const err = await rejection(dial(protocol, server));
      assert.equal(err.code, 'WT_ERR_STARTTLS_PROTOCOL', err.message);
    });

    test(`${protocol}: silence and a dripping server end at the deadline`, async (t) => {
      const silent = await serve(t, () => undefined);
      assert.equal((await rejection(dial(protocol, silent, 300))).code, 'WT_ERR_PROBE_TIMEOUT');
      // A one-byte answer (PostgreSQL's) cannot drip: there silence is the whole case.
      const first = Buffer.from(scripts.accepts.find((step) => step.server)?.server ?? '');
      if (first.length < 2) return;
      const dripping = await serve(t, drip(first, 100));
      assert.equal((await rejection(dial(protocol, dripping, 300))).code, 'WT_ERR_PROBE_TIMEOUT');
    });

    test(`${protocol}: a reset and a close are the probe's own codes`, async (t) => {
      // After the connect, while the dialer waits for the greeting or the answer.
      const resetting = await serve(t, (s) => {
        setTimeout(() => s.resetAndDestroy(), 50);
      });
      assert.equal((await rejection(dial(protocol, resetting))).code, 'WT_ERR_PROBE_RESET');
      const closing = await serve(t, (s) => {
        setTimeout(() => s.end(), 50);
      });
      assert.equal((await rejection(dial(protocol, closing))).code, 'WT_ERR_PROBE_CLOSED');
    });
  }
});

test('bytes after the go-ahead, before our ClientHello, are a violation (STARTTLS injection)', async (t) => {
  const smtp = await scriptedServer(t, [
    ...SCRIPTS.smtp.accepts.slice(0, 2),
    { client: /^STARTTLS\r\n/, server: '220 go ahead\r\n250 injected\r\n' },
  ]);
  const err = await rejection(dial('smtp', smtp));
  assert.equal(err.code, 'WT_ERR_STARTTLS_PROTOCOL');
  assert.match(err.message, /after agreeing to start TLS/);
  const postgres = await scriptedServer(t, [{ client: 8, server: 'S\x16\x03\x01' }]);
  assert.equal((await rejection(dial('postgres', postgres))).code, 'WT_ERR_STARTTLS_PROTOCOL');
});

test('an over-long dialogue stops at 64 KiB even in short lines', async (t) => {
  const line = `250-${'x'.repeat(96)}\r\n`;
  const lines = line.repeat(Math.ceil((MAX_DIALOGUE_BYTES + 1) / line.length));
  const server = await scriptedServer(t, [
    { server: '220 mail.example\r\n' },
    { client: /^EHLO [^\r]*\r\n/, server: lines },
  ]);
  const err = await rejection(dial('smtp', server));
  assert.equal(err.code, 'WT_ERR_STARTTLS_PROTOCOL');
  assert.match(err.message, /more than 65536 bytes/);
});

test('a server without STARTTLS costs no STARTTLS command; SMTP names its EHLO reply', async (t) => {
  const server = await scriptedServer(t, SCRIPTS.smtp.refuses);
  await rejection(dial('smtp', server));
  assert.equal(server.received.length, 1);
  assert.match(server.received[0]?.toString('latin1') ?? '', /^EHLO \[127\.0\.0\.1\]\r\n$/);
});

test('IMAP asks CAPABILITY only when the greeting did not carry it', async (t) => {
  const server = await scriptedServer(t, [
    { server: '* OK IMAP4 ready\r\n' },
    { client: /^W1 CAPABILITY\r\n/, server: '* CAPABILITY IMAP4rev1 STARTTLS\r\nW1 OK done\r\n' },
    { client: /^W2 STARTTLS\r\n/, server: 'W2 OK go\r\n' },
  ]);
  assert.equal(await firstAnswer(await dial('imap', server)), `${ECHO}${HELLO.toString('latin1')}`);
  const preauth = await scriptedServer(t, [{ server: '* PREAUTH logged in\r\n' }]);
  assert.ok((await rejection(dial('imap', preauth))) instanceof StarttlsRefusedError);
});

test('LDAP: a notice of disconnection and a lying inner length are violations', async (t) => {
  const notice = Uint8Array.from([
    0x30, 0x0c, 0x02, 0x01, 0x00, 0x78, 0x07, 0x0a, 0x01, 52, 0x04, 0, 0x04, 0,
  ]);
  const disconnect = await scriptedServer(t, [{ client: 31, server: notice }]);
  assert.match((await rejection(dial('ldap', disconnect))).message, /notice of disconnection/);
  const lying = Uint8Array.from([0x30, 0x05, 0x02, 0x7f, 0x01, 0x78, 0x00]);
  const server = await scriptedServer(t, [{ client: 31, server: lying }]);
  const err = await rejection(dial('ldap', server));
  assert.equal(err.code, 'WT_ERR_STARTTLS_PROTOCOL');
  assert.match(err.message, /messageID/);
  const huge = Uint8Array.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]);
  const big = await scriptedServer(t, [{ client: 31, server: huge }]);
  assert.match((await rejection(dial('ldap', big))).message, /cap 16384/);
});

test('a cancelled scan cancels the dialogue with its own reason', async (t) => {
  const silent = await serve(t, () => undefined);
  const controller = new AbortController();
  const pending = starttlsDialer('smtp')(silent, controller.signal);
  setTimeout(() => controller.abort(), 50);
  assert.equal((await rejection(pending)).code, 'WT_ERR_PROBE_ABORTED');
});

test('the socket of a refused dialogue is closed', async (t) => {
  let serverSide: Socket | undefined;
  const server = await serve(t, (s) => {
    serverSide = s;
    s.once('data', () => s.write('N'));
  });
  await rejection(dial('postgres', server));
  assert.ok(serverSide !== undefined);
  if (!serverSide.readableEnded) await once(serverSide, 'end');
});

test('property: random server bytes end in a socket or a WiretightError, never a crash', async (t) => {
  let payload = new Uint8Array();
  let split = 1;
  const server = await serve(t, (s) => {
    const at = Math.min(split, payload.length);
    s.write(payload.subarray(0, at));
    setTimeout(() => s.end(payload.subarray(at)), 5);
  });
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...STARTTLS_PROTOCOL_NAMES),
      fc.uint8Array({ maxLength: 300 }),
      fc.nat(300),
      async (protocol, bytes, at) => {
        payload = bytes;
        split = at;
        try {
          (await dial(protocol, server)).destroy();
        } catch (err) {
          assert.ok(err instanceof WiretightError, String(err));
          assert.notEqual(err.code, 'WT_ERR_PROBE_TIMEOUT');
        }
      },
    ),
    { numRuns: 150 },
  );
});

test('property: protocol-shaped noise (digits, tags, quotes, CR LF) never crashes either', async (t) => {
  let payload = '';
  const server = await serve(t, (s) => s.end(payload, 'latin1'));
  const token = fc.constantFrom(
    '220',
    '250',
    '-',
    ' ',
    '\r\n',
    '\n',
    '* OK',
    '[CAPABILITY',
    'STARTTLS',
    '"',
    'OK',
    '+OK',
    '<',
    '>',
    '<?xml',
    '<stream:stream',
    '<stream:features>',
    '</stream:features>',
    '<proceed',
    'W1',
    'W2',
    '0',
    '\x00',
    '\xff',
    'S',
    'N',
    '\x30\x84',
    '\x0a',
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...STARTTLS_PROTOCOL_NAMES),
      fc.array(token, { maxLength: 60 }),
      async (protocol, tokens) => {
        payload = tokens.join('');
        try {
          (await dial(protocol, server)).destroy();
        } catch (err) {
          assert.ok(err instanceof WiretightError, String(err));
        }
      },
    ),
    { numRuns: 150 },
  );
});
