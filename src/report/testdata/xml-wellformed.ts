// A strict XML 1.0 well-formedness check for the tests (no XML parser is installed and
// xmllint is not on the machine): one root, nested and matching tags, quoted unique
// attributes, only the predefined and numeric references, no raw `<` or stray `&`, no
// `]]>` in text, and only characters XML allows. Comments, CDATA and DOCTYPE are refused,
// since the renderers never write them. It also returns the element tree, references
// decoded, so tests can read back what a CI server would show.
import assert from 'node:assert/strict';

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** The element's own text, references decoded (children's text not included). */
  text: string;
  /** Text and child elements in document order. */
  readonly content: (string | XmlElement)[];
}

const PREDEFINED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (_, ref: string) =>
    ref.startsWith('#x')
      ? String.fromCodePoint(parseInt(ref.slice(2), 16))
      : ref.startsWith('#')
        ? String.fromCodePoint(parseInt(ref.slice(1), 10))
        : (PREDEFINED[ref] ?? ''),
  );
}

const NAME = /^[A-Za-z_][A-Za-z0-9._:-]*/;
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/u;
const REFERENCE = /^&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/;

function checkReferences(text: string, at: number): void {
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    assert.match(text.slice(i), REFERENCE, `bad reference at ${at + i}`);
  }
}

/** The root element; throws, naming the offset, unless `xml` is a well-formed document. */
export function parseXml(xml: string): XmlElement {
  const bad = FORBIDDEN.exec(xml);
  assert.equal(bad, null, `character XML forbids at ${bad?.index ?? -1}`);
  let i = 0;
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    assert.ok(end > 0, 'unterminated XML declaration');
    i = end + 2;
  }
  const open: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (open.length === 0) assert.match(text, /^\s*$/, `text outside the root at ${i}`);
    assert.ok(!text.includes(']]>'), `"]]>" in text at ${i}`);
    checkReferences(text, i);
    const parent = open[open.length - 1];
    if (parent !== undefined && text !== '') {
      parent.text += decode(text);
      parent.content.push(decode(text));
    }
    if (lt < 0) break;
    const close = xml.startsWith('</', lt);
    const name = NAME.exec(xml.slice(lt + (close ? 2 : 1)))?.[0];
    assert.ok(name !== undefined, `markup that is not a tag at ${lt}`);
    let j = lt + (close ? 2 : 1) + name.length;
    if (close) {
      const end = /^\s*>/.exec(xml.slice(j));
      assert.ok(end !== null, `bad end tag at ${lt}`);
      assert.equal(open.pop()?.name, name, `end tag </${name}> at ${lt} does not match`);
      i = j + end[0].length;
      continue;
    }
    assert.ok(open.length > 0 || root === undefined, `second root element at ${lt}`);
    const attributes: Record<string, string> = {};
    for (;;) {
      const attr = /^\s+([A-Za-z_][A-Za-z0-9._:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/.exec(
        xml.slice(j),
      );
      if (attr === null) break;
      const attrName = attr[1] as string;
      assert.ok(!(attrName in attributes), `duplicate attribute ${attrName} at ${j}`);
      const value = attr[2] ?? attr[3] ?? '';
      checkReferences(value, j);
      attributes[attrName] = decode(value);
      j += attr[0].length;
    }
    const end = /^\s*(\/?)>/.exec(xml.slice(j));
    assert.ok(end !== null, `bad start tag <${name}> at ${lt}`);
    const element: XmlElement = { name, attributes, children: [], text: '', content: [] };
    if (parent === undefined) root = element;
    else {
      parent.children.push(element);
      parent.content.push(element);
    }
    if (end[1] !== '/') open.push(element);
    i = j + end[0].length;
  }
  assert.equal(open.length, 0, 'unclosed elements');
  assert.ok(root !== undefined, 'no root element');
  return root;
}

/** All text under `element`, in document order. */
export function textContent(element: XmlElement): string {
  return element.content.map((c) => (typeof c === 'string' ? c : textContent(c))).join('');
}

/** Every element named `name` under `element`, depth first. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((c) => [...(c.name === name ? [c] : []), ...findAll(c, name)]);
}
