// TLS 1.3 tickets, resumption and 0-RTT against real servers (openssl s_server, gnutls-serv,
// nginx) and scripted hostile ones. Every accepted 0-RTT here is the server decrypting
// records our own wire engine sealed with keys from its ticket; s_server even prints them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type EarlyDataFacts,
  type EarlyDataProbeOptions,
  probeEarlyData,
} from '../../src/scan/checks/early-data.ts';
import { earlyDataFindings } from '../../src/scan/rules/early-data.ts';
import { CONTENT_TYPE } from '../../src/wire/record.ts';
import { HANDSHAKE_TYPE, encodeHandshake } from '../../src/wire/handshake.ts';
import {
  type FakeServerOptions,
  FakeTls13Server,
} from '../../src/wire/tls13/testdata/fake-server.ts';
import { startScriptedServer } from '../helpers/hostile-server.ts';
import {
  type RunningServer,
  startGnutlsServ,
  startNginx,
  startOpenSslServer,
} from '../helpers/servers.ts';

const MARKER = 'wiretight-0rtt-probe';

function probe(
  server: { port: number },
  options: Partial<EarlyDataProbeOptions> = {},
): Promise<EarlyDataFacts> {
  return probeEarlyData(
    { host: 'localhost', address: '127.0.0.1', port: server.port },
    {
      sni: 'localhost',
      suites: [0x1301, 0x1302, 0x1303],
      group: 0x001d,
      limits: { timeoutMs: 5000, maxBytes: 0 },
      ...options,
    },
  );
}

/** A server per test group, stopped after it. */
function withServer(start: () => Promise<RunningServer>): () => RunningServer {
  let server: RunningServer | undefined;
  before(async () => {
    server = await start();
  });
  after(() => server?.stop());
  return () => server as RunningServer;
}

describe('openssl s_server -early_data: 0-RTT accepted', () => {
  const server = withServer(() => startOpenSslServer(['-tls1_3', '-early_data']));
  let facts: EarlyDataFacts;
  before(async () => {
    facts = await probe(server(), { earlyData: new TextEncoder().encode(`${MARKER}\n`) });
  });

  test('ticket with max_early_data_size, resumed, early data accepted', () => {
    assert.deepEqual(facts, {
      ticketIssued: true,
      ticketLifetimeSec: 7200,
      maxEarlyDataSize: 16384,
      resumed: true,
      earlyDataAccepted: true,
    });
  });
  test('the server decrypted our early data record', async () => {
    // s_server prints what SSL_read_early_data returned.
    for (let i = 0; i < 50 && !server().logs().includes(MARKER); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(server().logs().includes(MARKER), server().logs().slice(-2000));
  });
  test('the rule reports vuln.early-data with the size', () => {
    const [f] = earlyDataFindings(facts);
    assert.equal(f?.id, 'vuln.early-data');
    assert.match(f?.evidence ?? '', /16384/);
  });
});

describe('openssl s_server without -early_data', () => {
  const server = withServer(() => startOpenSslServer(['-tls1_3']));
  test('ticket issued (no early data allowed), resumed, early data rejected', async () => {
    assert.deepEqual(await probe(server()), {
      ticketIssued: true,
      ticketLifetimeSec: 7200,
      resumed: true,
      earlyDataAccepted: false,
    });
  });
  test('every suite the server accepts resumes with its own hash', async () => {
    for (const suite of [0x1301, 0x1302, 0x1303]) {
      const facts = await probe(server(), { suites: [suite] });
      assert.equal(facts.resumed, true, `0x${suite.toString(16)}`);
    }
  });
});

describe('openssl s_server -num_tickets 0: no ticket', () => {
  const server = withServer(() => startOpenSslServer(['-tls1_3', '-num_tickets', '0']));
  test('no ticket within the wait: resumption and 0-RTT unknown', async () => {
    const facts = await probe(server(), { ticketWaitMs: 500 });
    assert.equal(facts.ticketIssued, false);
    assert.equal(facts.resumed, null);
    assert.equal(facts.earlyDataAccepted, null);
    assert.match(facts.reason ?? '', /no NewSessionTicket/);
    assert.deepEqual(earlyDataFindings(facts), []);
  });
});

describe('openssl s_server -no_ticket: TLS 1.3 still resumes, from its session cache', () => {
  // OpenSSL's SSL_OP_NO_TICKET only turns stateless tickets into stateful ones in TLS 1.3.
  const server = withServer(() => startOpenSslServer(['-tls1_3', '-no_ticket']));
  test('a (stateful) ticket is issued and resumed', async () => {
    const facts = await probe(server());
    assert.equal(facts.ticketIssued, true);
    assert.equal(facts.resumed, true);
    assert.equal(facts.earlyDataAccepted, false);
  });
});

describe('openssl s_server -verify 1: a client certificate is requested', () => {
  const server = withServer(() => startOpenSslServer(['-tls1_3', '-verify', '1']));
  test('an empty Certificate completes the handshake, and its ticket resumes', async () => {
    const facts = await probe(server());
    assert.equal(facts.ticketIssued, true);
    assert.equal(facts.resumed, true);
  });
});

describe('gnutls-serv, an independent implementation', () => {
  const priority = 'NORMAL:-VERS-ALL:+VERS-TLS1.3';
  describe('--earlydata', () => {
    const server = withServer(() => startGnutlsServ(priority, { args: ['--earlydata'] }));
    test('0-RTT accepted', async () => {
      const facts = await probe(server());
      assert.equal(facts.resumed, true);
      assert.equal(facts.earlyDataAccepted, true);
      assert.ok((facts.maxEarlyDataSize ?? 0) > 0);
    });
  });
  describe('default', () => {
    const server = withServer(() => startGnutlsServ(priority));
    test('resumed, early data rejected', async () => {
      const facts = await probe(server());
      assert.deepEqual(
        [facts.ticketIssued, facts.resumed, facts.earlyDataAccepted],
        [true, true, false],
      );
    });
  });
});

describe('nginx with its defaults (ssl_early_data off)', () => {
  const server = withServer(() => startNginx({ protocols: 'TLSv1.3' }));
  test('ticket issued and resumed, early data rejected, no finding', async () => {
    const facts = await probe(server());
    assert.deepEqual(
      [facts.ticketIssued, facts.resumed, facts.earlyDataAccepted],
      [true, true, false],
    );
    assert.deepEqual(earlyDataFindings(facts), []);
  });
});

describe('scripted hostile servers', () => {
  async function scripted(options: FakeServerOptions) {
    const fake = new FakeTls13Server(options);
    // The ClientHello fits one record: its fragment is the whole handshake message.
    return startScriptedServer((record) =>
      fake.respond(new Uint8Array(record.subarray(5))).map((b) => Buffer.from(b)),
    );
  }

  test('a garbage NewSessionTicket: no ticket, a decode error as the reason', async () => {
    const server = await scripted({
      afterFinished: (s) => [
        s.seal(
          CONTENT_TYPE.handshake,
          encodeHandshake(HANDSHAKE_TYPE.new_session_ticket, Uint8Array.of(0xde, 0xad)),
        ),
      ],
    });
    try {
      const facts = await probe(server);
      assert.deepEqual(
        [facts.ticketIssued, facts.resumed, facts.earlyDataAccepted],
        [false, null, null],
      );
      assert.match(facts.reason ?? '', /WT_ERR_WIRE_DECODE/);
    } finally {
      await server.stop();
    }
  });

  test('an oversized ticket: WT_ERR_WIRE_TOO_LARGE', async () => {
    const server = await scripted({
      afterFinished: (s) => [s.seal(CONTENT_TYPE.handshake, Uint8Array.of(4, 0xff, 0xff, 0xf0))],
    });
    try {
      assert.match((await probe(server)).reason ?? '', /WT_ERR_WIRE_TOO_LARGE/);
    } finally {
      await server.stop();
    }
  });

  test('a server that never sends a ticket: the deadline ends it', async () => {
    const server = await scripted({ afterFinished: () => [] });
    try {
      const started = Date.now();
      const facts = await probe(server, {
        ticketWaitMs: 60_000,
        limits: { timeoutMs: 800, maxBytes: 0 },
      });
      assert.equal(facts.ticketIssued, false);
      assert.match(facts.reason ?? '', /deadline/);
      assert.ok(Date.now() - started < 10_000);
    } finally {
      await server.stop();
    }
  });

  test('a truncated record after the handshake, then silence: the ticket wait ends it', async () => {
    const cut = Uint8Array.of(CONTENT_TYPE.application_data, 3, 3, 0x40, 0x00, 1, 2, 3);
    const server = await scripted({ afterFinished: () => [cut] });
    try {
      const facts = await probe(server, { ticketWaitMs: 300 });
      assert.equal(facts.ticketIssued, false);
      assert.match(facts.reason ?? '', /no NewSessionTicket/);
    } finally {
      await server.stop();
    }
  });

  test('a scripted server that accepts 0-RTT is reported', async () => {
    const server = await scripted({ earlyData: true });
    try {
      const facts = await probe(server);
      assert.equal(facts.earlyDataAccepted, true);
      assert.equal(earlyDataFindings(facts)[0]?.id, 'vuln.early-data');
    } finally {
      await server.stop();
    }
  });
});
