/**
 * A validator for the small part of JSON Schema (draft 2020-12) that the template manifest's schema uses:
 * type, properties, required, additionalProperties: false, propertyNames, enum, items, uniqueItems,
 * pattern, minLength, maxLength. It returns one message per bad field, each naming the field's path.
 */
export interface Schema {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly description?: string;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | Schema;
  readonly propertyNames?: Schema;
  readonly enum?: readonly unknown[];
  readonly items?: Schema;
  readonly uniqueItems?: boolean;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly title?: string;
  readonly $schema?: string;
  readonly $id?: string;
}

const typeOf = (value: unknown): string =>
  Array.isArray(value) ? 'array' : value === null ? 'null' : Number.isInteger(value) ? 'integer' : typeof value;

function matchesType(value: unknown, type: NonNullable<Schema['type']>): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

export function validateSchema(value: unknown, schema: Schema, path = ''): string[] {
  const at = path || '(the manifest)';
  if (schema.type && !matchesType(value, schema.type)) return [`${at}: must be ${/^[aeiou]/.test(schema.type) ? 'an' : 'a'} ${schema.type}, got ${typeOf(value)}`];
  if (schema.enum && !schema.enum.some((option) => option === value)) {
    return [`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.map((option) => JSON.stringify(option)).join(', ')}`];
  }
  const errors: string[] = [];
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${at}: must not be empty`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${at}: at most ${schema.maxLength} characters`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${at}: must match ${schema.pattern}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${at}: needs at least ${schema.minItems} item(s)`);
    if (schema.uniqueItems && new Set(value.map((item) => JSON.stringify(item))).size !== value.length) errors.push(`${at}: has duplicates`);
    if (schema.items) value.forEach((item, index) => errors.push(...validateSchema(item, schema.items as Schema, `${path}[${index}]`)));
  }
  if (typeOf(value) === 'object') {
    const record = value as Record<string, unknown>;
    const child = (key: string) => (path ? `${path}.${key}` : key);
    for (const key of schema.required ?? []) if (!(key in record)) errors.push(`${child(key)}: is required`);
    for (const [key, item] of Object.entries(record)) {
      if (schema.propertyNames) errors.push(...validateSchema(key, schema.propertyNames, `${child(key)} (name)`));
      const known = schema.properties?.[key];
      if (known) errors.push(...validateSchema(item, known, child(key)));
      else if (schema.additionalProperties === false) errors.push(`${child(key)}: is not a known field`);
      else if (typeof schema.additionalProperties === 'object') errors.push(...validateSchema(item, schema.additionalProperties, child(key)));
    }
  }
  return errors;
}
