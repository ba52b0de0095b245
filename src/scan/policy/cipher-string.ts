// A documented subset of OpenSSL's cipher-string language (ciphers(1)), evaluated over the
// registry instead of over what the local OpenSSL supports, so a policy can name suites
// OpenSSL dropped long ago (and still forbid them). Order-only features are accepted but do
// not matter: a policy is a set of allowed suites, not a preference list.
import {
  CIPHER_SUITES,
  type CipherSuite,
  isSslv2Suite,
  suiteIdHex,
} from '../../wire/registry/cipher-suites.ts';
import { CIPHER_KEYWORDS, keyword } from './cipher-keywords.ts';
import { didYouMean } from './did-you-mean.ts';

/** Caps on one cipher string: a policy lists a few dozen elements, never thousands. */
export const MAX_CIPHER_ELEMENTS = 512;
export const MAX_ELEMENT_LENGTH = 128;
/** Problems reported before giving up: each unknown word costs a search for a suggestion. */
export const MAX_CIPHER_PROBLEMS = 20;

/** The report's id of a suite: `0xc02f`, SSLv2 `0x0700c0`. */
export function suiteKey(suite: CipherSuite): string {
  return suiteIdHex(suite.id, isSslv2Suite(suite) ? 'sslv2' : 'tls');
}

const byName = new Map<string, CipherSuite[]>();
for (const suite of CIPHER_SUITES) {
  for (const name of new Set([suite.name, suite.opensslName])) {
    if (name === null) continue;
    byName.set(name, [...(byName.get(name) ?? []), suite]);
  }
}

/** What went wrong with one element of the `items` given to `selectSuites`. */
export interface CipherStringProblem {
  /** Index of the item the element came from. */
  readonly item: number;
  readonly message: string;
}

export interface SuiteSelection {
  /** The selected suites by report id. */
  readonly ids: ReadonlySet<string>;
  readonly problems: readonly CipherStringProblem[];
}

type Operation = 'add' | 'remove' | 'kill' | 'move';

const PREFIXES: Readonly<Record<string, Operation>> = { '!': 'kill', '-': 'remove', '+': 'move' };

type Parsed =
  | { readonly ok: true; readonly operation: Operation; readonly suites: CipherSuite[] }
  | { readonly ok: false; readonly message: string };

function resolveWord(word: string, element: string): CipherSuite[] | string {
  const predicate = keyword(word);
  if (predicate !== undefined) return CIPHER_SUITES.filter(predicate);
  const named = byName.get(word);
  if (named !== undefined) return named;
  const hint = didYouMean(word, [...CIPHER_KEYWORDS, ...byName.keys()]);
  const where = word === element ? '' : `\`${element}\`: `;
  return `${where}"${word}" is neither a keyword nor a suite name${hint}`;
}

function parseElement(element: string): Parsed {
  if (element.length > MAX_ELEMENT_LENGTH) {
    return { ok: false, message: `an element is longer than ${MAX_ELEMENT_LENGTH} characters` };
  }
  if (element === '@STRENGTH') return { ok: true, operation: 'move', suites: [] };
  if (element.startsWith('@')) {
    return {
      ok: false,
      message: `\`${element}\`: of the @-commands only @STRENGTH is supported (it orders suites, which a policy does not)`,
    };
  }
  const operation = PREFIXES[element[0] as string] ?? 'add';
  const body = operation === 'add' ? element : element.slice(1);
  if (body === 'DEFAULT') {
    return {
      ok: false,
      message: `\`${element}\`: DEFAULT is not supported, as its meaning changes between OpenSSL releases; list keywords or suites`,
    };
  }
  const words = body.split('+');
  if (words.some((w) => w === '')) {
    return { ok: false, message: `\`${element}\`: an empty word around "+"` };
  }
  if (words.length === 1) {
    const resolved = resolveWord(body, element);
    return typeof resolved === 'string'
      ? { ok: false, message: resolved }
      : { ok: true, operation, suites: resolved };
  }
  // As in OpenSSL, "+" between words intersects keywords; suite names do not combine.
  let suites = CIPHER_SUITES.filter(() => true);
  for (const word of words) {
    const predicate = keyword(word);
    if (predicate === undefined) {
      const hint = didYouMean(word, CIPHER_KEYWORDS);
      return {
        ok: false,
        message: `\`${element}\`: "${word}" is not a keyword; only keywords combine with "+"${hint}`,
      };
    }
    suites = suites.filter(predicate);
  }
  return { ok: true, operation, suites };
}

/**
 * Evaluates cipher strings left to right as OpenSSL does: a word adds its suites, `-word`
 * removes them (a later word may add them back), `!word` removes them for good, `+word`
 * and `@STRENGTH` only reorder. Elements are separated by `:`, `,` or spaces; each item
 * of `items` continues the same string. An element that selects no suite is a problem:
 * it is a typo or a rule that does not do what its author thinks.
 */
export function selectSuites(items: readonly string[]): SuiteSelection {
  const selected = new Set<CipherSuite>();
  const killed = new Set<CipherSuite>();
  const problems: CipherStringProblem[] = [];
  let count = 0;
  for (const [item, text] of items.entries()) {
    for (const element of text.split(/[:, ]+/).filter((e) => e !== '')) {
      if (++count > MAX_CIPHER_ELEMENTS) {
        problems.push({ item, message: `more than ${MAX_CIPHER_ELEMENTS} elements` });
        return { ids: new Set(), problems };
      }
      if (problems.length >= MAX_CIPHER_PROBLEMS) return { ids: new Set(), problems };
      const parsed = parseElement(element);
      if (!parsed.ok) {
        problems.push({ item, message: parsed.message });
        continue;
      }
      if (parsed.suites.length === 0 && element !== '@STRENGTH') {
        problems.push({ item, message: `\`${element}\` selects no suite` });
      }
      for (const suite of parsed.suites) {
        if (parsed.operation === 'add' && !killed.has(suite)) selected.add(suite);
        if (parsed.operation === 'remove' || parsed.operation === 'kill') selected.delete(suite);
        if (parsed.operation === 'kill') killed.add(suite);
      }
    }
  }
  return { ids: new Set([...selected].map(suiteKey)), problems };
}
