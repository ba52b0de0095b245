import assert from 'node:assert/strict';
import test from 'node:test';
import { GROUPS, TLS12_EC_GROUPS, TLS13_GROUPS, group, groupByName, groupName } from './groups.ts';

test('group ids and names are unique', () => {
  assert.equal(new Set(GROUPS.map((g) => g.id)).size, GROUPS.length);
  assert.equal(new Set(GROUPS.map((g) => g.name)).size, GROUPS.length);
});

test('lookups by id and by name', () => {
  assert.equal(groupName(0x001d), 'x25519');
  assert.equal(groupName(0x0017), 'secp256r1');
  assert.equal(groupName(0x11ec), 'X25519MLKEM768');
  assert.equal(group(0x0100)?.family, 'ffdhe');
  assert.equal(groupByName('secp384r1')?.id, 0x0018);
  assert.equal(groupByName('nope'), undefined);
  assert.equal(group(0x0fff), undefined);
});

test('unknown codepoints are formatted as 4-digit hex', () => {
  assert.equal(groupName(0x0fff), '0x0fff');
  assert.equal(groupName(0x0a0a), '0x0a0a');
  assert.equal(groupName(0xfafa), '0xfafa');
  assert.equal(groupName(0x0042), '0x0042');
});

test('TLS 1.2 EC groups: classic curves only, modern ones first', () => {
  assert.deepEqual(TLS12_EC_GROUPS.slice(0, 5), [0x001d, 0x0017, 0x001e, 0x0018, 0x0019]);
  for (const id of TLS12_EC_GROUPS) {
    assert.equal(group(id)?.family, 'ec', groupName(id));
    // The TLS 1.3-only brainpool codepoints are not RFC 8422 curves.
    assert.ok(id < 0x001f || id > 0x0021, groupName(id));
  }
  assert.ok(TLS12_EC_GROUPS.includes(0x0001));
  assert.equal(new Set(TLS12_EC_GROUPS).size, TLS12_EC_GROUPS.length);
});

test('TLS 1.3 groups: hybrids first, no deprecated binary curves', () => {
  assert.deepEqual(TLS13_GROUPS.slice(0, 4), [0x11ec, 0x11eb, 0x11ed, 0x001d]);
  for (const id of [0x0100, 0x0104, 0x0201, 0x001f, 0x0017])
    assert.ok(TLS13_GROUPS.includes(id), groupName(id));
  for (const id of [0x0001, 0x000e, 0x0016]) assert.ok(!TLS13_GROUPS.includes(id), groupName(id));
  assert.equal(new Set(TLS13_GROUPS).size, TLS13_GROUPS.length);
});
