import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CliIo } from './io.ts';
import { progressLine } from './progress.ts';

const io = (stderrIsTty: boolean) => {
  const out = { err: '' };
  const cli: CliIo = {
    stdout: () => undefined,
    stderr: (t) => {
      out.err += t;
    },
    stdoutIsTty: false,
    stderrIsTty,
    env: {},
  };
  return { cli, out };
};

test('the total is read at each update, so it can grow while names resolve (--all-ips)', () => {
  const { cli, out } = io(true);
  let total = 2;
  const line = progressLine(cli, () => total);
  line.update(1, { host: 'a.example', port: 443 });
  total = 3;
  line.update(2, { host: 'a.example', port: 443 });
  line.clear();
  assert.deepEqual(
    [...out.err.matchAll(/\[(\d+\/\d+)\]/g)].map((m) => m[1]),
    ['1/2', '2/3'],
  );
  assert.ok(out.err.endsWith('\r\x1b[2K'));
});

test('nothing is written when stderr is not a terminal', () => {
  const { cli, out } = io(false);
  const line = progressLine(cli, () => 5);
  line.update(1, { host: 'a.example', port: 443 });
  line.clear();
  assert.equal(out.err, '');
});
