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
