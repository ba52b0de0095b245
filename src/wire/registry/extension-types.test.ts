import assert from 'node:assert/strict';
import test from 'node:test';
import { EXTENSION_TYPES, extensionName } from './extension-types.ts';

test('names by id, unknown_N for others', () => {
  assert.equal(extensionName(0), 'server_name');
  assert.equal(extensionName(43), 'supported_versions');
  assert.equal(extensionName(0xff01), 'renegotiation_info');
  assert.equal(extensionName(0x4a4a), 'unknown_19018');
});

test('ids are unique and fit two bytes', () => {
  const ids = Object.values(EXTENSION_TYPES);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.ok(id >= 0 && id <= 0xffff);
  for (const [name, id] of Object.entries(EXTENSION_TYPES)) assert.equal(extensionName(id), name);
});
