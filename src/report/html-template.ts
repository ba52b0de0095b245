// A tagged template for the HTML report: every interpolated string is escaped, and only
// fragments built by `h` itself go in as markup. Server text cannot reach the page
// unescaped without someone writing `trusted(...)` around it. (Not named `html`: prettier
// would reformat such templates as embedded HTML and change the output's whitespace.)
import { escapeAttribute, escapeText } from './markup.ts';

const MARKUP = Symbol('html');

/** A fragment of HTML built from escaped parts. */
export interface Html {
  readonly [MARKUP]: string;
}

/** What may be interpolated: text (escaped), fragments, lists of fragments, or nothing. */
export type HtmlValue = string | number | Html | readonly Html[] | null | undefined | false;

function fragment(markup: string): Html {
  return { [MARKUP]: markup };
}

function isHtml(v: unknown): v is Html {
  return typeof v === 'object' && v !== null && MARKUP in v;
}

function piece(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return escapeText(v);
  if (isHtml(v)) return v[MARKUP];
  if (!Array.isArray(v)) throw new TypeError('only text, numbers and html fragments go in');
  return (v as readonly Html[]).map(piece).join('');
}

/**
 * `h\`<td>${text}</td>\`` escapes `text`. Inside attribute values use `attr(value)`,
 * which escapes line breaks as well.
 */
export function h(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += piece(v) + (strings[i + 1] ?? '');
  });
  return fragment(out);
}

/** An attribute value, escaped for a double-quoted attribute. */
export function attr(value: string): Html {
  return fragment(escapeAttribute(value));
}

/** Markup written by wiretight itself (the style sheet); never for text from a report. */
export function trusted(markup: string): Html {
  return fragment(markup);
}

/** The markup of a fragment (the finished document's text). */
export function markupOf(h: Html): string {
  return h[MARKUP];
}
