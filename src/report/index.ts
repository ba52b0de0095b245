export { renderText, type TextOptions } from './text.ts';
export { renderJson } from './json.ts';
export {
  DEFAULT_INFORMATION_URI,
  SARIF_SCHEMA_URI,
  type SarifLevel,
  type SarifLog,
  type SarifOptions,
  type SarifResult,
  type SarifRule,
  buildSarif,
  renderSarif,
} from './sarif.ts';
export { type JunitOptions, renderJunit } from './junit.ts';
export { renderNdjson } from './ndjson.ts';
export { type HtmlOptions, renderHtml } from './html.ts';
