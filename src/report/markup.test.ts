import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeAttribute, escapeText } from './markup.ts';

test('markup characters are escaped in text and attributes', () => {
  const hostile = `<script>alert("x")</script> & 'q'`;
  assert.equal(
    escapeText(hostile),
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;',
  );
  assert.equal(escapeAttribute(hostile), escapeText(hostile));
});

test('line breaks stay in text but become references in attributes', () => {
  assert.equal(escapeText('a\n\tb\r'), 'a\n\tb\r');
  assert.equal(escapeAttribute('a\n\tb\r'), 'a&#10;&#9;b&#13;');
});

test('characters XML forbids are shown, not passed through', () => {
  assert.equal(escapeText('a\u0000b\u001bc\u007f'), 'a\\x00b\\x1bc\\x7f');
  assert.equal(escapeText('\ufffe\uffff'), '\\ufffe\\uffff');
  assert.equal(escapeText('lone \ud800 half'), 'lone \\ud800 half');
  // A well-formed surrogate pair is one character and passes through.
  assert.equal(escapeText('pair \ud83d\ude00'), 'pair \ud83d\ude00');
  assert.equal(
    escapeText('entity-looking &amp; stays literal'),
    'entity-looking &amp;amp; stays literal',
  );
});
