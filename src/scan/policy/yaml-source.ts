// Policy files are YAML written by people and read by CI: parse them strictly (duplicate
// keys, several documents and syntax errors are errors) and keep positions, so every
// problem can name its line and column. A file is hostile until proven otherwise: its size,
// its aliases and its nesting are capped.
import {
  type Document,
  LineCounter,
  type Node,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
} from 'yaml';
import { PolicyError, type PolicyProblem } from './policy-error.ts';

/** A policy is a page of settings; 1 MiB is far beyond any real one. */
export const MAX_POLICY_BYTES = 1024 * 1024;
/** Alias expansions allowed when building values (yaml's guard against "billion laughs"). */
export const MAX_ALIAS_COUNT = 64;
/** A policy nests three levels; anything much deeper is an attack or a mistake. */
export const MAX_DEPTH = 32;

export type KeyPath = readonly (string | number)[];

/** `suppressions[0].expires` */
export function formatPath(path: KeyPath): string {
  return path
    .map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : i === 0 ? seg : `.${seg}`))
    .join('');
}

export interface PolicySource {
  readonly file: string;
  /** The document as plain values (maps as objects, sequences as arrays). */
  readonly value: unknown;
  /**
   * 1-based line and column of the value at `path` (of its key when `key` is set), or of
   * the nearest enclosing node that exists.
   */
  locate(path: KeyPath, key?: boolean): { line: number; column: number };
}

function depthOf(root: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_DEPTH) return deepest;
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) stack.push([item, depth + 1]);
    } else if (isPair(node)) {
      stack.push([node.key, depth], [node.value, depth]);
    }
  }
  return deepest;
}

function child(doc: Document, node: unknown, seg: string | number, key: boolean): unknown {
  const target = isAlias(node) ? node.resolve(doc) : node;
  if (isMap(target) && typeof seg === 'string') {
    const pair = target.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
    return key ? pair?.key : pair?.value;
  }
  if (isSeq(target) && typeof seg === 'number') return target.items[seg];
  return undefined;
}

/**
 * Parses policy text. Throws a PolicyError for text that is too large, not YAML, more than
 * one document, nested deeper than MAX_DEPTH, or an alias bomb.
 */
export function parsePolicyYaml(text: string, file: string): PolicySource {
  const fail = (line: number, column: number, message: string): PolicyError =>
    new PolicyError([{ file, line, column, path: '', message }]);
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES) {
    throw fail(0, 0, `the file is larger than ${MAX_POLICY_BYTES} bytes`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, strict: true });
  const at = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    const problems: PolicyProblem[] = doc.errors.slice(0, 10).map((e) => ({
      file,
      ...at(e.pos[0]),
      path: '',
      message: `not valid YAML: ${e.message.split('\n')[0] ?? e.code}`,
    }));
    throw new PolicyError(problems);
  }
  if (depthOf(doc.contents) > MAX_DEPTH) {
    throw fail(1, 1, `the document nests deeper than ${MAX_DEPTH} levels`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    // yaml throws a ReferenceError for an alias that expands too much (or is undefined).
    throw new PolicyError(
      [
        {
          file,
          line: 1,
          column: 1,
          path: '',
          message: `aliases expand too much (more than ${MAX_ALIAS_COUNT} expansions) or refer to no anchor`,
        },
      ],
      { cause },
    );
  }
  return {
    file,
    value,
    locate(path, key = false) {
      let node: unknown = doc.contents;
      let found = node as Node | null;
      for (const [i, seg] of path.entries()) {
        node = child(doc, node, seg, key && i === path.length - 1);
        if (node === undefined || node === null) break;
        found = node as Node;
      }
      const offset = found?.range?.[0] ?? 0;
      return at(offset);
    },
  };
}
