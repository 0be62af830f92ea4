import { OPTIONS } from '../options/registry.ts';
import type { Schema } from './json-schema.ts';

/**
 * The JSON Schema of `secure-express.template.json`, built from the option registry so that the names a
 * manifest may use are always the registry's. The build publishes it as
 * `schema/template-manifest.schema.json`; editors can point `$schema` at it.
 */
const ANSWER_KEYS = OPTIONS.map((spec) => spec.key);
const IDENTIFIER = '^[A-Za-z][A-Za-z0-9_]*$';
/** Text shown on the terminal: no control characters (a terminal escape would rewrite the screen). */
const PLAIN_TEXT = '^[^\\u0000-\\u001F\\u007F-\\u009F]*$';

export const MANIFEST_FILE = 'secure-express.template.json';

export const manifestSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'create-secure-express/template-manifest.schema.json',
  title: 'create-secure-express team template manifest',
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$', maxLength: 100, description: 'Short name of the template.' },
    description: { type: 'string', maxLength: 500, pattern: PLAIN_TEXT },
    requires: { type: 'string', minLength: 1, description: "A semver range of create-secure-express's version, e.g. >=1.0.0." },
    defaults: {
      type: 'object',
      description: 'Answers that replace the built-in defaults; flags, presets and prompts may still change them.',
      propertyNames: { enum: ANSWER_KEYS },
    },
    locked: {
      type: 'array',
      description: "Answers nobody may change: the template's default, or the built-in one.",
      items: { type: 'string', enum: ANSWER_KEYS },
      uniqueItems: true,
    },
    remove: {
      type: 'array',
      description: 'Output paths of built-in files to leave out, e.g. Dockerfile (which also turns the docker answer off).',
      items: { type: 'string', minLength: 1, pattern: '^(?!/)(?!.*(^|/)\\.\\.(/|$)).+$' },
      uniqueItems: true,
    },
    questions: {
      type: 'array',
      description: 'Extra answers for the templates, asked on a terminal or given as --var name=value.',
      items: {
        type: 'object',
        required: ['name', 'message'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', pattern: IDENTIFIER, maxLength: 64 },
          message: { type: 'string', minLength: 1, maxLength: 200, pattern: PLAIN_TEXT },
          type: { type: 'string', enum: ['input', 'confirm', 'select'] },
          choices: { type: 'array', items: { type: 'string', pattern: PLAIN_TEXT }, minItems: 1, uniqueItems: true },
          pattern: { type: 'string', minLength: 1 },
          expected: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
            pattern: PLAIN_TEXT,
            description: 'What pattern accepts, in words, shown when an answer does not match: "an email address such as team@acme.test".',
          },
          required: { type: 'boolean' },
          default: { description: 'A string for input and select questions, true or false for confirm.' },
        },
      },
    },
  },
} as const satisfies Schema;
