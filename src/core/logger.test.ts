import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordingLogger } from './logger.ts';

test('a recording logger keeps every line with the bindings of its children', () => {
  const log = recordingLogger();
  log.child({ component: 'ca' }).child({ serial: '01' }).info({ event: 'issued' }, 'issued');
  log.warn({}, 'plain');
  assert.deepEqual(log.records, [
    {
      level: 'info',
      message: 'issued',
      fields: { component: 'ca', serial: '01', event: 'issued' },
    },
    { level: 'warn', message: 'plain', fields: {} },
  ]);
});
