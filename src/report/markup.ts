// Escaping for the XML and HTML renderers. Findings, certificate names, banners and
// headers carry text a server chose, so every string goes through one of these.

// Characters XML 1.0 forbids and HTML treats as parse errors: C0 controls but tab, line
// feed and carriage return; DEL and C1 controls; lone surrogates; the noncharacters
// U+FFFE and U+FFFF. With the `u` flag a surrogate range matches only unpaired halves.
const INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ud800-\udfff\ufffe\uffff]/gu;

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Forbidden characters shown as `\x00` or `\ufffe`, so what the server sent stays visible. */
function visible(text: string): string {
  return text.replace(INVALID, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Text content of an XML or HTML element: markup characters escaped, line breaks kept. */
export function escapeText(text: string): string {
  return visible(text).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * A quoted attribute value. Tabs and line breaks become character references, since a
 * parser would fold them to spaces (XML attribute-value normalisation).
 */
export function escapeAttribute(text: string): string {
  return visible(text).replace(/[&<>"'\t\n\r]/g, (c) => ENTITIES[c] ?? c);
}
