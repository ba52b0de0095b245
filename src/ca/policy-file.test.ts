import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONFIG_DEFAULTS, parseConfig, renderConfig } from './config.ts';
import { parseIpRange } from './ip-range.ts';
import { MAX_POLICY_BYTES, parsePolicy, renderPolicy } from './policy-file.ts';
import { DEFAULT_POLICY, type ProvisionerPolicy } from './policy.ts';

const configError = (pattern: RegExp) => (err: unknown) =>
  (err as { code?: string }).code === 'WT_ERR_CA_CONFIG' && pattern.test((err as Error).message);

test('the policy ca init writes reads back as the same policy, defaults or not', () => {
  const custom: ProvisionerPolicy = {
    dns: ['.svc.internal', 'api.example.com'],
    wildcards: true,
    ip: [parseIpRange('10.0.0.0/8'), parseIpRange('fd00::/8')],
    spiffeTrustDomain: 'example.org',
    keyTypes: ['ecdsa-p256', 'rsa'],
    minRsaBits: 3072,
    defaultLifetimeSeconds: 3600,
    maxLifetimeSeconds: 7 * 86_400,
    usages: ['server'],
  };
  for (const policy of [DEFAULT_POLICY, custom]) {
    const text = renderPolicy(policy);
    assert.match(text, /^# wiretight CA provisioner policy/);
    assert.deepEqual(parsePolicy(text, 'policy.yaml'), policy);
  }
  assert.deepEqual(parsePolicy('', 'empty.yaml'), DEFAULT_POLICY);
});

test('every problem is reported with file, line, column and key path', () => {
  const text = [
    'version: 1',
    'dns: [".svc.internal", "bad_name"]',
    'ip: ["10.0.0.0/33"]',
    'keys:',
    '  types: [ecdsa-p256, dsa]',
    '  minRsaBits: 1024',
    'lifetime:',
    '  default: 40d',
    'usages: [server, nobody]',
    'colour: blue',
  ].join('\n');
  assert.throws(
    () => parsePolicy(text, 'p.yaml'),
    (err: Error) => {
      assert.equal((err as { code?: string }).code, 'WT_ERR_CA_CONFIG');
      const lines = err.message.split('\n');
      assert.ok(
        lines.includes(
          'p.yaml:10:1: colour: unknown key (allowed: version, dns, wildcards, ip, spiffe, keys, lifetime, usages)',
        ),
        err.message,
      );
      assert.ok(
        lines.some((l) => /^p\.yaml:2:24: dns\[1\]: .*bad_name/.test(l)),
        err.message,
      );
      assert.ok(
        lines.some((l) => /^p\.yaml:3:6: ip\[0\]: .*prefix length/.test(l)),
        err.message,
      );
      assert.ok(
        lines.some((l) => /^p\.yaml:5:23: keys\.types\[1\]: "dsa" is not one of/.test(l)),
        err.message,
      );
      assert.ok(
        lines.some((l) => /^p\.yaml:6:15: keys\.minRsaBits: must be/.test(l)),
        err.message,
      );
      assert.ok(
        lines.some((l) =>
          /^p\.yaml:8:12: lifetime\.default: is longer than lifetime\.max \(30d\)/.test(l),
        ),
        err.message,
      );
      assert.ok(
        lines.some((l) => /^p\.yaml:9:18: usages\[1\]: "nobody"/.test(l)),
        err.message,
      );
      return true;
    },
  );
});

test('wrong shapes and empty allow-lists are refused', () => {
  assert.throws(() => parsePolicy('- a\n- b\n', 'p.yaml'), configError(/must be a mapping/));
  assert.throws(
    () => parsePolicy('dns: .svc.internal\n', 'p.yaml'),
    configError(/dns: must be a list/),
  );
  assert.throws(
    () => parsePolicy('dns: [1]\n', 'p.yaml'),
    configError(/dns\[0\]: must be a string/),
  );
  assert.throws(
    () => parsePolicy('wildcards: "yes"\n', 'p.yaml'),
    configError(/wildcards: must be true or false/),
  );
  assert.throws(
    () => parsePolicy('spiffe: "Example.org"\n', 'p.yaml'),
    configError(/spiffe: must be a SPIFFE trust domain/),
  );
  assert.throws(
    () => parsePolicy('keys: {types: []}\n', 'p.yaml'),
    configError(/keys\.types: must allow at least one key type/),
  );
  assert.throws(
    () => parsePolicy('usages: []\n', 'p.yaml'),
    configError(/usages: must allow at least one usage/),
  );
  assert.throws(() => parsePolicy('version: 2\n', 'p.yaml'), configError(/version: must be 1/));
  assert.throws(() => parsePolicy('keys: [a]\n', 'p.yaml'), configError(/keys: must be a mapping/));
});

test('hostile YAML: too large, duplicate keys, several documents, alias bombs, deep nesting', () => {
  assert.throws(
    () => parsePolicy(`# ${'x'.repeat(MAX_POLICY_BYTES)}\n`, 'big.yaml'),
    configError(/big\.yaml: larger than 65536 bytes/),
  );
  assert.throws(
    () => parsePolicy('wildcards: true\nwildcards: false\n', 'dup.yaml'),
    configError(/dup\.yaml:2:1: not valid YAML/),
  );
  assert.throws(
    () => parsePolicy('dns: []\n---\ndns: []\n', 'two.yaml'),
    configError(/not valid YAML/),
  );
  const bomb = [
    'a: &a ["x","x","x","x","x","x","x","x"]',
    'b: &b [*a,*a,*a,*a,*a,*a,*a,*a]',
    'c: &c [*b,*b,*b,*b,*b,*b,*b,*b]',
    'd: [*c,*c,*c,*c,*c,*c,*c,*c]',
  ].join('\n');
  assert.throws(() => parsePolicy(bomb, 'bomb.yaml'), configError(/aliases expand too much/));
  const deep = `dns: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
  assert.throws(() => parsePolicy(deep, 'deep.yaml'), configError(/deep\.yaml/));
  assert.throws(
    () => parsePolicy('dns: [unterminated\n', 'bad.yaml'),
    configError(/bad\.yaml:\d+:\d+: not valid YAML/),
  );
});

test('ca.json reads back as written; unknown keys, bad values and bad JSON name the key', () => {
  const config = {
    name: 'Example Internal CA',
    keyType: 'ecdsa-p256' as const,
    publicUrl: 'https://ca.example:8443',
    rootKey: 'root.key',
    rootLifetimeSeconds: 10 * 365 * 86_400,
    intermediateLifetimeSeconds: 5 * 365 * 86_400,
    ...CONFIG_DEFAULTS,
  };
  assert.deepEqual(parseConfig(renderConfig(config), 'ca.json'), config);
  assert.deepEqual(
    parseConfig(renderConfig({ ...config, publicUrl: null }), 'ca.json').publicUrl,
    null,
  );
  const doc = JSON.parse(renderConfig(config)) as Record<string, unknown>;
  const broken = (patch: Record<string, unknown>): string => JSON.stringify({ ...doc, ...patch });
  assert.throws(() => parseConfig('{', 'ca.json'), configError(/ca\.json: not valid JSON/));
  assert.throws(() => parseConfig('[]', 'ca.json'), configError(/must be a JSON object/));
  assert.throws(
    () => parseConfig(broken({ extra: 1 }), 'ca.json'),
    configError(/ca\.json: extra: unknown key/),
  );
  assert.throws(
    () => parseConfig(broken({ format: 'x' }), 'ca.json'),
    configError(/format: must be "wiretight\.ca\/v1"/),
  );
  assert.throws(() => parseConfig(broken({ keyType: 'dsa' }), 'ca.json'), configError(/keyType/));
  assert.throws(
    () => parseConfig(broken({ publicUrl: 'ftp://x' }), 'ca.json'),
    configError(/publicUrl: .*http/),
  );
  assert.throws(
    () => parseConfig(broken({ crlValidity: 'soon' }), 'ca.json'),
    configError(/crlValidity: "soon" is not a duration/),
  );
  assert.throws(
    () => parseConfig(broken({ crlRefresh: '2d' }), 'ca.json'),
    configError(/crlRefresh: must be shorter than crlValidity/),
  );
  assert.throws(() => parseConfig(' '.repeat(70_000), 'ca.json'), configError(/larger than/));
});
