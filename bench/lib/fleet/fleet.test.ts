// The pure parts of the fleet bench: the layout it builds, the nginx config it writes,
// and the sanity check that sets wiretight's reports against the fleet.
//   node_modules/.bin/node --test bench/lib/**/*.test.ts
import assert from 'node:assert/strict';
import test from 'node:test';
import { NGINX_POSTURES, expectedTransport, fleetAddress, fleetLayout } from './layout.ts';
import { nginxFleetConfig } from './nginx.ts';
import { checkFleet, parseOutcomes, sanityLines } from './sanity.ts';
import type { FleetEndpoint } from './start.ts';

const kindsOf = (size: number): Record<string, number> => {
  const kinds: Record<string, number> = {};
  for (const e of fleetLayout(size)) kinds[e.posture.kind] = (kinds[e.posture.kind] ?? 0) + 1;
  return kinds;
};

test('200 endpoints: 180 nginx, 15 of each posture, and 5 of each other kind', () => {
  assert.deepEqual(kindsOf(200), {
    nginx: 180,
    s_server: 5,
    'gnutls-serv': 5,
    plaintext: 5,
    closed: 5,
  });
  const perPosture = new Map<string, number>();
  for (const e of fleetLayout(200)) {
    if (e.posture.kind === 'nginx') {
      perPosture.set(e.posture.name, (perPosture.get(e.posture.name) ?? 0) + 1);
    } else {
      assert.equal(e.index % 10, 9, `${e.posture.name} at ${e.index}`);
    }
  }
  assert.equal(perPosture.size, NGINX_POSTURES.length);
  assert.ok([...perPosture.values()].every((n) => n === 15));
});

test('the layout is fixed by index: two calls build the same fleet', () => {
  assert.deepEqual(fleetLayout(200), fleetLayout(200));
  assert.deepEqual(fleetLayout(200).slice(0, 50), fleetLayout(50));
  assert.throws(() => fleetLayout(0), RangeError);
  assert.throws(() => fleetLayout(2.5), RangeError);
});

test('each endpoint has its own loopback address', () => {
  assert.equal(fleetAddress(0), '127.77.0.1');
  assert.equal(fleetAddress(254), '127.77.0.255');
  assert.equal(fleetAddress(255), '127.77.1.0');
  assert.equal(new Set(Array.from({ length: 1000 }, (_, i) => fleetAddress(i))).size, 1000);
  assert.throws(() => fleetAddress(-1), RangeError);
  assert.throws(() => fleetAddress(0xffff), RangeError);
});

test('the nginx config: one server block per endpoint, TLS and HSTS only where asked', () => {
  const tls = {
    protocols: 'TLSv1.2 TLSv1.3',
    ciphers: 'ECDHE+AESGCM',
    chain: '/pki/rsa.chain.pem',
    key: '/pki/rsa.key',
  };
  const conf = nginxFleetConfig(
    '/tmp/x',
    [
      { address: '127.77.0.1', tls: { ...tls, hsts: true } },
      { address: '127.77.0.2', tls: { ...tls, hsts: false, dhparam: '/pki/dh1024.pem' } },
      { address: '127.77.0.3' },
    ],
    [1001, 1002, 1003],
    1000,
  );
  assert.match(conf, /listen 127\.77\.0\.1:1001 ssl;/);
  assert.match(conf, /listen 127\.77\.0\.2:1002 ssl;\n\s+ssl_certificate \/pki\/rsa\.chain\.pem;/);
  assert.match(conf, /listen 127\.77\.0\.3:1003;/);
  assert.match(conf, /listen 127\.0\.0\.1:1000;/);
  assert.equal(conf.match(/Strict-Transport-Security/g)?.length, 1);
  assert.equal(conf.match(/ssl_dhparam \/pki\/dh1024\.pem;/g)?.length, 1);
  assert.equal(conf.match(/server \{/g)?.length, 4);
  assert.throws(
    () => nginxFleetConfig('/tmp/x', [{ address: '127.77.0.1' }], [], 1000),
    RangeError,
  );
});

/** A fleet of the first `n` endpoints of the layout on made-up ports. */
const endpoints = (n: number): FleetEndpoint[] =>
  fleetLayout(n).map((s) => ({ ...s, host: fleetAddress(s.index), port: 2000 + s.index }));

/** The NDJSON line wiretight would write for an endpoint, reduced to what is compared. */
function report(e: FleetEndpoint, transport: string, letter: string | null = 'A'): string {
  return JSON.stringify({
    target: { host: e.host, port: e.port, ip: e.host, sni: 'localhost' },
    tls: transport === 'tls',
    ...(transport === 'plaintext' ? { plaintext: { protocol: 'http' } } : {}),
    ...(transport === 'unreachable' ? { error: { code: 'WT_ERR_SCAN_UNREACHABLE' } } : {}),
    grade: { letter: transport === 'tls' ? letter : null },
    durationMs: 100,
    handshakes: 10,
  });
}

const asBuilt = (fleet: FleetEndpoint[]): string[] =>
  fleet.map((e) => report(e, expectedTransport(e.posture)));

test('reports that match the fleet built: counts equal, nothing wrong', () => {
  const fleet = endpoints(40);
  const check = checkFleet(fleet, `${asBuilt(fleet).join('\n')}\n`);
  assert.deepEqual(check.built, { tls: 38, plaintext: 1, unreachable: 1 });
  assert.deepEqual(check.reported, check.built);
  assert.deepEqual(check.wrong, []);
  assert.equal(check.malformed, 0);
  assert.equal(check.grades.get('A'), 38);
  assert.ok(sanityLines(check).includes('every endpoint reported as built: match'));
});

test('a missing report, a wrong transport and a line that is not a report are named', () => {
  const fleet = endpoints(20);
  const lines = asBuilt(fleet);
  lines[0] = report(fleet[0]!, 'unreachable');
  lines[1] = '{"truncated": ';
  const check = checkFleet(fleet, lines.join('\n'));
  assert.equal(check.malformed, 1);
  assert.equal(check.wrong.length, 2);
  assert.match(check.wrong[0]!, /^#0 127\.77\.0\.1:2000 .*: unreachable, built tls$/);
  assert.match(check.wrong[1]!, /^#1 127\.77\.0\.2:2001 .*: no report$/);
  assert.deepEqual(check.reported, { tls: 18, plaintext: 0, unreachable: 1 });
  assert.ok(sanityLines(check).includes('MISMATCH on 2 endpoints:'));
});

test('a posture whose endpoints got different grades is called out', () => {
  const fleet = endpoints(30);
  const lines = asBuilt(fleet);
  // The second endpoint of the first posture gets another grade than the first.
  const twin = fleet.findIndex((e, i) => i > 0 && e.posture === fleet[0]!.posture);
  assert.ok(twin > 0);
  lines[twin] = report(fleet[twin]!, 'tls', 'B');
  const check = checkFleet(fleet, lines.join('\n'));
  const split = check.byPosture.filter((p) => p.outcomes.size > 1).map((p) => p.posture);
  assert.deepEqual(split, [fleet[0]!.posture.name]);
  assert.match(sanityLines(check).at(-1)!, /postures whose endpoints disagree/);
});

test('NDJSON with blank lines and a report without a grade', () => {
  const fleet = endpoints(1);
  const { outcomes, malformed } = parseOutcomes(`\n${report(fleet[0]!, 'tls', null)}\n\n`);
  assert.equal(malformed, 0);
  assert.deepEqual(outcomes, [
    {
      target: '127.77.0.1:2000',
      transport: 'tls',
      grade: 'withheld',
      durationMs: 100,
      handshakes: 10,
    },
  ]);
});
