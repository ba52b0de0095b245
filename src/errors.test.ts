import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DecodeError, ERROR_CODES, WiretightError } from './errors.ts';

test('docs/errors.md lists exactly the codes of the catalogue', () => {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  const documented = [...doc.matchAll(/^\| `(WT_ERR_[A-Z0-9_]+)` +\|/gm)].map((m) => m[1]);
  assert.deepEqual([...documented].sort(), Object.keys(ERROR_CODES).sort());
});

test('codes follow WT_ERR_<AREA>_<WHAT>', () => {
  for (const code of Object.keys(ERROR_CODES)) assert.match(code, /^WT_ERR_[A-Z]+_[A-Z0-9_]+$/);
});

test('a DecodeError carries path, offset and its code, and serialises without a stack', () => {
  const err = new DecodeError('ServerHello.extensions', 41, 'truncated');
  assert.ok(err instanceof WiretightError);
  assert.equal(err.code, 'WT_ERR_WIRE_DECODE');
  assert.equal(err.offset, 41);
  assert.equal(err.path, 'ServerHello.extensions');
  assert.deepEqual(JSON.parse(JSON.stringify(err)), {
    code: 'WT_ERR_WIRE_DECODE',
    message: 'ServerHello.extensions at byte 41: truncated',
  });
});
