import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attr, h, markupOf, trusted } from './html-template.ts';

test('interpolated text is escaped; fragments and lists go in as markup', () => {
  const evil = '<img src=x onerror="alert(1)">';
  const items = ['a<b', 'c&d'].map((t) => h`<li>${t}</li>`);
  const page = h`<ul title="${attr(evil)}">${items}${h`<li>${evil}</li>`}</ul>`;
  assert.equal(
    markupOf(page),
    '<ul title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"><li>a&lt;b</li><li>c&amp;d</li>' +
      '<li>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</li></ul>',
  );
});

test('nothing values vanish, numbers print, trusted markup passes', () => {
  assert.equal(markupOf(h`${null}${undefined}${false}${0}${trusted('<hr>')}`), '0<hr>');
});

test('an object that merely looks like a fragment is not trusted', () => {
  const fake = { html: '<script>' } as unknown as string;
  assert.throws(() => h`${fake}`, TypeError);
});
