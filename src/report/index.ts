export { renderText, type TextOptions } from './text.ts';
export { renderJson } from './json.ts';
