import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/**
 * A validator for SARIF 2.1.0 logs, built from the JSON schema that ships in a published package
 * (@microsoft/jest-sarif, the 2.1.0 rtm.5 schema, JSON Schema draft-04), not from a copy typed here.
 * The schema's patterns are written for non-Unicode regular expressions.
 */
const require = createRequire(import.meta.url);
const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;

const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

/** The schema's complaints about `log`, one per line, or '' when it is valid. */
export function sarifErrors(log: unknown): string {
  return validate(log) ? '' : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`).join('\n');
}
