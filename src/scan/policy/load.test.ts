import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { loadPolicyFile, parsePolicy } from './load.ts';
import { PolicyError } from './policy-error.ts';
import { MAX_ALIAS_COUNT, MAX_POLICY_BYTES } from './yaml-source.ts';

const messages = (error: unknown): string[] => {
  assert.ok(error instanceof PolicyError, String(error));
  assert.equal(error.code, 'WT_ERR_POLICY_INVALID');
  return error.problems.map((p) => `${p.line}:${p.column} ${p.message}`);
};

function rejects(text: string): string[] {
  try {
    parsePolicy(text, 'p.yaml', { now: new Date('2026-07-01T00:00:00Z') });
  } catch (error) {
    return messages(error);
  }
  assert.fail('accepted');
}

test('an alias bomb stops at the alias cap instead of expanding', () => {
  const levels = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
  for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h'].entries()) {
    const prev = String.fromCharCode(97 + i);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
  }
  assert.deepEqual(rejects(`version: 1\n${levels.join('\n')}\n`), [
    `1:1 aliases expand too much (more than ${MAX_ALIAS_COUNT} expansions) or refer to no anchor`,
  ]);
});

test('a few aliases are fine; a problem behind an alias points at its anchor', () => {
  const text = [
    'version: 1',
    'suppressions:',
    '  - { id: suite.cbc, targets: &t ["a:99999"], reason: r, expires: 2027-01-01 }',
    '  - { id: suite.rc4, targets: *t, reason: r, expires: 2027-01-01 }',
  ].join('\n');
  assert.deepEqual(rejects(text), [
    '3:35 "a:99999": the port is a number from 0 to 65535 or *',
    '3:35 "a:99999": the port is a number from 0 to 65535 or *',
  ]);
  const ok = parsePolicy(text.replaceAll('99999', '443'), 'p', {
    now: new Date('2026-07-01T00:00:00Z'),
  });
  assert.deepEqual(
    ok.suppressions.map((s) => s.targets.map((t) => t.text)),
    [['a:443'], ['a:443']],
  );
});

test('deep nesting is refused, in flow and in block style', () => {
  assert.deepEqual(rejects(`version: 1\nx: ${'['.repeat(40)}${']'.repeat(40)}\n`), [
    '1:1 the document nests deeper than 32 levels',
  ]);
  let block = 'version: 1\n';
  for (let i = 0; i < 40; i++) block += `${' '.repeat(i)}k${i}:\n`;
  assert.deepEqual(rejects(block).slice(0, 1), ['1:1 the document nests deeper than 32 levels']);
  // Far deeper than the parser's stack: yaml reports it as an error, we pass it on.
  const abyss = rejects(`version: 1\nx: ${'['.repeat(20_000)}\n`);
  assert.ok(abyss.length >= 1);
  assert.match(abyss[0] ?? '', /^\d+:\d+ not valid YAML: /);
});

test('YAML errors: syntax, duplicate keys, several documents, tags', () => {
  assert.deepEqual(rejects('version: 1\nminVersion: TLSv1.2\nminVersion: TLSv1.3\n'), [
    '3:1 not valid YAML: Map keys must be unique',
  ]);
  assert.deepEqual(rejects('version: 1\n---\nversion: 1\n'), [
    '2:1 not valid YAML: Source contains multiple documents; please use YAML.parseAllDocuments()',
  ]);
  assert.match(rejects('version: 1\nminVersion: [TLSv1.2\n')[0] ?? '', /^\d+:\d+ not valid YAML: /);
  // No code-bearing tags: an unknown tag leaves a plain string, which fails validation.
  assert.deepEqual(rejects('version: !!js/function "x"\n'), [
    '1:24 must be 1, the only version of the policy format; got the string "x"',
  ]);
});

test('a file over the size cap is refused before parsing', async () => {
  const big = `version: 1\n# ${'x'.repeat(MAX_POLICY_BYTES)}\n`;
  assert.deepEqual(rejects(big), [`0:0 the file is larger than ${MAX_POLICY_BYTES} bytes`]);
  const dir = await mkdtemp(join(tmpdir(), 'wt-policy-'));
  try {
    await writeFile(join(dir, 'big.yaml'), big);
    await assert.rejects(loadPolicyFile(join(dir, 'big.yaml')), (e) => {
      assert.deepEqual(messages(e), [`0:0 the file is larger than ${MAX_POLICY_BYTES} bytes`]);
      return true;
    });
    await writeFile(join(dir, 'latin1.yaml'), Buffer.from('version: 1\n# caf\xe9\n', 'latin1'));
    await assert.rejects(loadPolicyFile(join(dir, 'latin1.yaml')), (e) => {
      assert.deepEqual(messages(e), ['0:0 the file is not UTF-8 text']);
      return true;
    });
    await assert.rejects(loadPolicyFile(join(dir, 'missing.yaml')), (e) => {
      assert.deepEqual(messages(e), ['0:0 cannot read the policy file (ENOENT)']);
      assert.match((e as Error).message, /missing\.yaml: cannot read the policy file \(ENOENT\)$/);
      return true;
    });
    await assert.rejects(loadPolicyFile(dir), (e) => {
      assert.deepEqual(messages(e), ['0:0 cannot read the policy file (EISDIR)']);
      return true;
    });
    await writeFile(join(dir, 'ok.yaml'), 'version: 1\nminVersion: TLSv1.2\n');
    assert.equal((await loadPolicyFile(join(dir, 'ok.yaml'))).minVersion, 'TLSv1.2');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a file of thousands of mistakes fails fast with a bounded message', () => {
  const keys = Array.from({ length: 20_000 }, (_, i) => `bad${i}: 1`).join('\n');
  let error: unknown;
  try {
    parsePolicy(
      `version: 1\n${keys}\nallowedSuites: "${Array(500).fill('NOPE').join(':')}"\n`,
      'p',
      {},
    );
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof PolicyError);
  assert.equal(error.problems.length, 200);
  const lines = error.message.split('\n');
  assert.equal(lines.length, 51);
  assert.equal(lines[50], '…and 150 more problems');
});
