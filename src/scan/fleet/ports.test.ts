import assert from 'node:assert/strict';
import test from 'node:test';
import { isWiretightError } from '../../errors.ts';
import { parsePorts } from './ports.ts';

test('ports and ranges, in the order given, each once', () => {
  assert.deepEqual(parsePorts('443'), [443]);
  assert.deepEqual(parsePorts('443,8443,5432'), [443, 8443, 5432]);
  assert.deepEqual(parsePorts('8000-8003, 443 ,8001'), [8000, 8001, 8002, 8003, 443]);
  assert.deepEqual(parsePorts('1,65535'), [1, 65535]);
  assert.deepEqual(parsePorts('7-7'), [7]);
  assert.equal(parsePorts('1-65535').length, 65535);
});

test('hostile port lists are WT_ERR_TARGET_INVALID naming what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['0', /0 is not a port/],
    ['65536', /65536 is not a port/],
    ['5-3', /the range 5-3 runs backwards/],
    ['0-10', /0 is not a port/],
    ['1-99999', /99999 is not a port/],
    ['', /an empty item/],
    ['443,', /an empty item/],
    ['443,,8443', /an empty item/],
    ['-443', /"-443" is not a port/],
    ['443-', /"443-" is not a port/],
    ['1-2-3', /"1-2-3" is not a port/],
    ['https', /"https" is not a port/],
    ['4e2', /"4e2" is not a port/],
    ['0x1bb', /"0x1bb" is not a port/],
    ['123456', /"123456" is not a port/],
    [`${'1,'.repeat(3000)}1`, /longer than 4096 characters/],
  ];
  for (const [spec, why] of cases) {
    assert.throws(
      () => parsePorts(spec),
      (e) => isWiretightError(e) && e.code === 'WT_ERR_TARGET_INVALID' && why.test(e.message),
      spec.slice(0, 20),
    );
  }
});
