import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { Script } from 'node:vm';
import { PROFILE_NAMES } from './mozilla.ts';
import {
  SNIPPET_ASPECTS,
  SNIPPET_SERVERS,
  aspectSnippets,
  nodeTlsOptions,
  profileSnippets,
} from './snippets.ts';

const line = (text: string, pattern: RegExp): string | undefined =>
  text.split('\n').find((l) => pattern.test(l));

test('docs/profiles.md shows exactly what profileSnippets writes', () => {
  const doc = readFileSync(new URL('../../../docs/profiles.md', import.meta.url), 'utf8');
  const blocks = [
    ...doc.matchAll(
      /<!-- snippet: (\w+) (\w+) -->\n\n<!-- prettier-ignore -->\n```[a-z]*\n([\s\S]*?)```\n/g,
    ),
  ].map((m) => ({ profile: m[1] ?? '', server: m[2] ?? '', text: m[3] ?? '' }));
  const expected = PROFILE_NAMES.flatMap((p) => SNIPPET_SERVERS.map((s) => `${p} ${s}`));
  assert.deepEqual(
    blocks.map((b) => `${b.profile} ${b.server}`),
    expected,
  );
  for (const b of blocks) {
    const written = profileSnippets(b.profile as 'modern')[b.server as 'nginx'];
    assert.equal(b.text, written, `docs/profiles.md, ${b.profile} ${b.server}: regenerate it`);
  }
});

test('every aspect and whole snippet exists for every server and ends with a newline', () => {
  for (const profile of PROFILE_NAMES) {
    for (const snippets of [
      profileSnippets(profile),
      ...SNIPPET_ASPECTS.map((a) => aspectSnippets(profile, a)),
    ]) {
      assert.deepEqual(Object.keys(snippets), [...SNIPPET_SERVERS]);
      for (const text of Object.values(snippets)) {
        assert.match(text, /\n$/);
        assert.doesNotMatch(text, /undefined|NaN|\[object/);
      }
    }
  }
});

test('aspect snippets name the profile and guideline version on their first line', () => {
  const s = aspectSnippets('old', 'groups');
  assert.equal(
    s.nginx.split('\n')[0],
    '# Mozilla old (Server Side TLS guidelines 5.8): key exchange groups',
  );
  assert.equal(
    s.node.split('\n')[0],
    '// Mozilla old (Server Side TLS guidelines 5.8): key exchange groups',
  );
});

test('before OpenSSL 3.5 the group lists leave X25519MLKEM768 out, and say so', () => {
  const on30 = aspectSnippets('modern', 'groups', { openssl: '3.0.13' });
  assert.equal(line(on30.nginx, /^ssl_ecdh_curve /), 'ssl_ecdh_curve X25519:prime256v1:secp384r1;');
  assert.equal(
    line(on30.apache, /^SSLOpenSSLConfCmd /),
    'SSLOpenSSLConfCmd Curves X25519:prime256v1:secp384r1',
  );
  assert.match(on30.haproxy, /^ssl-default-bind-curves X25519:prime256v1:secp384r1$/m);
  assert.match(on30.node, /^ecdhCurve: 'X25519:prime256v1:secp384r1',$/m);
  assert.match(on30.nginx, /X25519MLKEM768: left out, OpenSSL 3\.0\.13 lacks it/);
  const on35 = aspectSnippets('modern', 'groups', { openssl: '3.5.1' });
  assert.match(on35.nginx, /^ssl_ecdh_curve X25519MLKEM768:X25519:prime256v1:secp384r1;$/m);
  assert.doesNotMatch(on35.nginx, /left out/);
  assert.equal(nodeTlsOptions('modern').ecdhCurve, 'X25519MLKEM768:X25519:prime256v1:secp384r1');
});

test('old on OpenSSL 3 starts its cipher strings with @SECLEVEL=0; other profiles never', () => {
  assert.match(aspectSnippets('old', 'tls').nginx, /^ssl_ciphers @SECLEVEL=0:ECDHE-ECDSA-/m);
  assert.match(
    aspectSnippets('old', 'tls', { openssl: '3.0' }).apache,
    /^SSLCipherSuite @SECLEVEL=0:/m,
  );
  assert.doesNotMatch(aspectSnippets('old', 'tls', { openssl: '1.1.1w' }).nginx, /SECLEVEL/);
  for (const profile of ['modern', 'intermediate'] as const) {
    for (const text of Object.values(profileSnippets(profile)))
      assert.doesNotMatch(text, /SECLEVEL/);
  }
});

test('an OpenSSL version that is not one is a RangeError', () => {
  assert.throws(() => profileSnippets('modern', { openssl: 'latest' }), RangeError);
  assert.throws(() => aspectSnippets('modern', 'tls', { openssl: '3' }), RangeError);
  assert.throws(() => aspectSnippets('modern', 'colour' as 'tls'), RangeError);
});

test('modern writes no TLS 1.2 cipher list; intermediate writes the six ECDHE AEAD suites', () => {
  const modern = aspectSnippets('modern', 'tls');
  assert.doesNotMatch(modern.nginx, /ssl_ciphers /);
  assert.match(
    modern.nginx,
    /^ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256;$/m,
  );
  assert.match(modern.haproxy, /ssl-min-ver TLSv1\.3 ssl-max-ver TLSv1\.3$/m);
  assert.match(modern.caddy, /^protocols tls1\.3$/m);
  const intermediate = aspectSnippets('intermediate', 'tls');
  assert.equal(
    line(intermediate.nginx, /^ssl_ciphers /),
    'ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;',
  );
  assert.match(intermediate.apache, /^SSLHonorCipherOrder off$/m);
  assert.match(intermediate.haproxy, /prefer-client-ciphers ssl-min-ver TLSv1\.2/);
  assert.match(intermediate.postgresql, /^ssl_prefer_server_ciphers = off$/m);
  assert.match(aspectSnippets('old', 'tls').apache, /^SSLHonorCipherOrder on$/m);
  assert.doesNotMatch(aspectSnippets('old', 'tls').haproxy, /prefer-client-ciphers/);
});

test('what a server cannot express is said in a comment, never as made-up syntax', () => {
  const caddyOld = aspectSnippets('old', 'tls').caddy;
  assert.match(caddyOld, /^# Caddy cannot enable TLSv1\.0 or TLSv1\.1/m);
  assert.match(caddyOld, /^protocols tls1\.2 tls1\.3$/m);
  assert.match(caddyOld, /^#   TLS_RSA_WITH_3DES_EDE_CBC_SHA$/m);
  assert.match(caddyOld, /^# TLS 1\.3 suites cannot be set in Caddy/m);
  for (const aspect of ['groups', 'dh', 'ocsp-stapling'] as const) {
    const text = aspectSnippets('intermediate', aspect).caddy;
    assert.ok(
      text.split('\n').every((l) => l === '' || l.startsWith('#')),
      `caddy ${aspect}`,
    );
  }
  for (const aspect of ['hsts', 'ocsp-stapling'] as const) {
    const text = aspectSnippets('intermediate', aspect).postgresql;
    assert.ok(
      text.split('\n').every((l) => l === '' || l.startsWith('#')),
      `postgresql ${aspect}`,
    );
  }
  assert.match(aspectSnippets('modern', 'hsts').postgresql, /HSTS does not apply/);
  // PostgreSQL 18-only settings stay commented so the file loads on older releases.
  const pg = profileSnippets('intermediate').postgresql;
  assert.match(pg, /^# ssl_groups = 'X25519MLKEM768:/m);
  assert.match(pg, /^# ssl_tls13_ciphers = /m);
  assert.match(pg, /^ssl_ecdh_curve = 'prime256v1'$/m);
});

test('the Node snippets are JavaScript: option entries and a whole module', () => {
  for (const profile of PROFILE_NAMES) {
    for (const aspect of ['tls', 'groups', 'dh', 'certificate'] as const) {
      const entries = aspectSnippets(profile, aspect).node;
      assert.doesNotThrow(
        () => new Script(`const readFileSync = () => ''; ({\n${entries}\n})`),
        `${profile} ${aspect}`,
      );
    }
    const whole = profileSnippets(profile).node;
    // Module syntax minus the imports is a script; check it compiles.
    const body = whole.replace(/^import .*$/gm, '');
    assert.doesNotThrow(() => new Script(`(function () {${body}\n})`), profile);
    const o = nodeTlsOptions(profile);
    assert.ok(whole.includes(`ciphers: '${o.ciphers}',`), profile);
    assert.ok(whole.includes(`ecdhCurve: '${o.ecdhCurve}',`), profile);
    assert.ok(whole.includes(`minVersion: '${o.minVersion}',`), profile);
    assert.ok(whole.includes(`honorCipherOrder: ${String(o.honorCipherOrder)},`), profile);
  }
  assert.deepEqual(nodeTlsOptions('old', { openssl: '3.5' }), {
    minVersion: 'TLSv1',
    maxVersion: 'TLSv1.3',
    ciphers: nodeTlsOptions('old').ciphers,
    honorCipherOrder: true,
    ecdhCurve: 'X25519MLKEM768:X25519:prime256v1:secp384r1',
  });
  assert.match(nodeTlsOptions('old').ciphers, /^TLS_AES_128_GCM_SHA256:.*:@SECLEVEL=0:ECDHE-/);
});

test('certificate snippets ask for the profile key type', () => {
  assert.match(aspectSnippets('modern', 'certificate').nginx, /ec_paramgen_curve:prime256v1/);
  assert.match(aspectSnippets('old', 'certificate').nginx, /-newkey rsa:2048/);
  assert.match(aspectSnippets('old', 'certificate').caddy, /^\tkey_type rsa2048$/m);
  assert.match(
    aspectSnippets('intermediate', 'certificate').apache,
    /an ECDSA \(P-256 or P-384\) or RSA \(2048 bits or more\) certificate/,
  );
});
