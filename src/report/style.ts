import { styleText } from 'node:util';

type Format = Parameters<typeof styleText>[0];

/** Colours text when the output is a terminal; the caller decides, renderers only ask. */
export interface Painter {
  (format: Format, text: string): string;
}

export function painter(color: boolean): Painter {
  return color
    ? (format, text) => styleText(format, text, { validateStream: false })
    : (_format, text) => text;
}

/** Pads to a visible width (ANSI codes do not count). */
export function pad(text: string, width: number): string {
  const visible = text.replace(/\x1b\[[0-9;]*m/g, '').length;
  return visible >= width ? text : text + ' '.repeat(width - visible);
}

/**
 * Text from a server (a banner, an error that quotes one, a certificate name) made safe for
 * a terminal: control characters, escape sequences among them, become '.', and lone
 * surrogates the replacement character.
 */
export function terminalSafe(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '.')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
