// docs/ca.md describes the code: every option of every `ca` command, the exit codes and
// the files of a CA directory. These tests keep it so.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CA_FILES } from '../../ca/ca-dir.ts';
import { run } from '../run.ts';
import { CA_EXIT, CA_EXIT_CODES } from './ca.ts';

const doc = readFileSync(new URL('../../../docs/ca.md', import.meta.url), 'utf8');

/** The text of the `## …` section whose heading contains `heading`. */
function section(heading: string): string {
  const start = doc.indexOf(`\n## ${heading}`);
  assert.notEqual(start, -1, `docs/ca.md has a section "${heading}"`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end === -1 ? undefined : end);
}

async function help(command: string): Promise<string> {
  let out = '';
  const code = await run(['ca', command, '--help'], {
    stdout: (t) => {
      out += t;
    },
    stderr: () => undefined,
    stdoutIsTty: false,
    env: {},
  });
  assert.equal(code, 0);
  return out;
}

test('docs/ca.md documents every option of every ca command, in its section', async () => {
  for (const command of ['init', 'issue', 'renew', 'revoke', 'list', 'crl', 'serve']) {
    const text = await help(command);
    const options = [
      ...text
        .slice(text.indexOf('Options:'), text.indexOf('Examples:'))
        .matchAll(/--[a-z][a-z0-9-]*/g),
    ]
      .map((m) => m[0])
      .filter((o) => o !== '--help');
    const documented = section(`\`wiretight ca ${command}\``);
    for (const option of new Set(options)) {
      // In the first cell of a table row: `--opt <arg>`, `-f, --opt`, or one of several.
      assert.match(
        documented,
        new RegExp(`^\\|[^|\\n]*\`(-\\w, )?${option}[ \`]`, 'm'),
        `ca ${command} ${option}`,
      );
    }
  }
});

test('docs/ca.md lists the exit codes and the error codes behind them', () => {
  const text = section('Exit codes');
  for (const code of Object.values(CA_EXIT))
    assert.match(text, new RegExp(`^\\| ${code} +\\|`, 'm'));
  for (const [error, exit] of Object.entries(CA_EXIT_CODES)) {
    const row = text.split('\n').find((line) => line.includes(`\`${error}\``));
    assert.ok(row?.startsWith(`| ${exit} `), `${error} → exit ${exit}`);
  }
});

test('docs/ca.md lists every file of a CA directory', () => {
  const text = section('The CA directory');
  for (const name of Object.values(CA_FILES))
    assert.match(text, new RegExp(`^\\| \`${name.replace('.', '\\.')}\` `, 'm'));
});
