/**
 * One report as one NDJSON line (`wiretight.scan/v1` or `wiretight.grab/v1`, newline-terminated, no
 * pretty-printing): a fleet scan writes one line per endpoint as each finishes. JSON
 * already escapes control characters inside strings; NEL, U+2028 and U+2029 are escaped
 * too, since some line readers (Python's splitlines) split on them.
 */
export function renderNdjson(report: object): string {
  const line = JSON.stringify(report).replace(
    /[\u0085\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${line}\n`;
}
