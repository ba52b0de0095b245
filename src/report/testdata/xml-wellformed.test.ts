import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findAll, parseXml, textContent } from './xml-wellformed.ts';

test('accepts well-formed documents and returns their tree, references decoded', () => {
  const root = parseXml(
    '<?xml version="1.0" encoding="UTF-8"?>\n<a x="1" y=\'&amp;&#10;\'><b/>t &lt; &#x41;</a>\n',
  );
  assert.equal(root.name, 'a');
  assert.deepEqual(root.attributes, { x: '1', y: '&\n' });
  assert.equal(root.text, 't < A');
  assert.equal(textContent(parseXml('<p>a<b>b</b>c</p>')), 'abc');
  assert.deepEqual(
    findAll(parseXml('<a><b i="1"><b i="2"/></b></a>'), 'b').map((b) => b.attributes['i']),
    ['1', '2'],
  );
});

test('refuses what a strict parser refuses', () => {
  const broken = [
    '<a>',
    '<a></b>',
    '<a></a><b/>',
    '<a>1 < 2</a>',
    '<a>AT&T</a>',
    '<a>&nbsp;</a>',
    '<a x="1" x="2"/>',
    '<a x="<"/>',
    '<a x=1/>',
    '<a>\u0000</a>',
    '<a>\ud800</a>',
    '<a>]]></a>',
    'text<a/>',
    '<!-- c --><a/>',
    '<a><![CDATA[x]]></a>',
    '',
  ];
  for (const xml of broken) {
    assert.throws(() => parseXml(xml), assert.AssertionError, JSON.stringify(xml));
  }
});
