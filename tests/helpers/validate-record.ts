import { readFileSync } from 'node:fs';
import Ajv2020Import from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';

// ajv and ajv-formats are CJS; depending on the loader the class sits on .default.
type AjvClass = typeof Ajv2020Import.default;
type AddFormats = typeof addFormatsImport.default;
const Ajv2020 = ((Ajv2020Import as { default?: AjvClass }).default ?? Ajv2020Import) as AjvClass;
const addFormats = ((addFormatsImport as { default?: AddFormats }).default ?? addFormatsImport) as AddFormats;

const load = (name: string): object =>
  JSON.parse(readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8')) as object;

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const recordValidator = ajv.compile(load('record.schema.json'));
const rejectValidator = ajv.compile(load('reject.schema.json'));

const messages = (errors: typeof recordValidator.errors): string[] =>
  (errors ?? []).map((e: { instancePath: string; message?: string }) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`);

/** Validate against docs/record.schema.json; returns error messages, empty when valid. */
export function validateRecord(obj: unknown): string[] {
  return recordValidator(obj) ? [] : messages(recordValidator.errors);
}

/** Validate against docs/reject.schema.json; returns error messages, empty when valid. */
export function validateReject(obj: unknown): string[] {
  return rejectValidator(obj) ? [] : messages(rejectValidator.errors);
}
