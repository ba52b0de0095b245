// Validates reports against the published JSON Schema, so the docs cannot drift from
// what the scanner prints.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { createRequire } from 'node:module';
import type { FormatsPlugin } from 'ajv-formats';

const readSchema = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../docs/schema/${name}`, import.meta.url), 'utf8')) as object;
const schema = readSchema('scan-report.v1.schema.json');

const ajv = new Ajv2020({ allErrors: true, strict: true });
// ajv-formats is CommonJS with `module.exports = plugin`; require gives the plugin itself.
const addFormats = createRequire(import.meta.url)('ajv-formats') as FormatsPlugin;
addFormats(ajv);
const validate = ajv.compile(schema);
const validateGrab = ajv.compile(readSchema('grab-report.v1.schema.json'));

/** Throws with every schema violation listed when `report` does not match scan-report v1. */
export function assertValidScanReport(report: unknown): void {
  if (!validate(report)) {
    throw new Error(
      `report does not match the schema:\n${ajv.errorsText(validate.errors, { separator: '\n' })}`,
    );
  }
}

/** Throws with every schema violation listed when `report` does not match grab-report v1. */
export function assertValidGrabReport(report: unknown): void {
  if (!validateGrab(report)) {
    throw new Error(
      `grab report does not match the schema:\n${ajv.errorsText(validateGrab.errors, { separator: '\n' })}`,
    );
  }
}
