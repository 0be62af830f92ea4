import { InvalidValue, UsageError } from '../errors.ts';
import type { OptionSpec } from '../options/registry.ts';
import type { AnswerSource } from '../options/resolve.ts';
import { CONTROL_CHARACTERS, parseBoolean, parseChoice } from '../options/validators.ts';
import type { TemplateQuestion } from './manifest.ts';

/**
 * A team template's extra questions become option specs of the same shape as the built-in ones, so they
 * go through the same resolution: `--var name=value`, then the preset's `vars`, then a prompt or default.
 */
function parserFor(question: TemplateQuestion): (value: unknown) => unknown {
  if (question.type === 'confirm') return parseBoolean;
  if (question.type === 'select') return parseChoice(question.choices ?? []);
  const pattern = question.pattern === undefined ? undefined : new RegExp(question.pattern, 'u');
  // A pattern is for the template's author; the person answering reads the question's own words.
  const expected = question.expected ?? `an answer in the form the template expects for "${question.message}"`;
  return (value) => {
    if (typeof value !== 'string') throw new InvalidValue(`${JSON.stringify(value)} is not accepted: expected text`);
    const text = value.trim();
    // An answer is one line of text: it is shown in the summary and rendered into the template's files.
    if (CONTROL_CHARACTERS.test(text)) throw new InvalidValue(`${JSON.stringify(text)} is not accepted: expected one line of text, without control characters`);
    if (text === '' && question.required) throw new InvalidValue(`an answer is required: expected ${expected}`);
    if (text !== '' && pattern && !pattern.test(text)) throw new InvalidValue(`${JSON.stringify(text)} is not accepted: expected ${expected}`);
    return text;
  };
}

/** A question's default: its own, else none when an answer is required (or must be picked), else empty or no. */
function defaultOf(question: TemplateQuestion): unknown {
  if (question.default !== undefined) return question.default;
  if (question.required || question.type === 'select') return undefined;
  return question.type === 'confirm' ? false : '';
}

export function questionSpecs(questions: readonly TemplateQuestion[]): OptionSpec[] {
  return questions.map(
    (question) =>
      ({
        key: question.name,
        flag: `var ${question.name}=<value>`,
        kind: 'value',
        help: question.message,
        parse: parserFor(question),
        defaultValue: () => defaultOf(question),
        prompt: {
          type: question.type,
          message: question.message,
          ...(question.choices ? { choices: question.choices } : {}),
          // Only a question nobody can answer for the user is asked before the summary.
          upFront: defaultOf(question) === undefined,
        },
      }) as unknown as OptionSpec,
  );
}

/** `--var name=value` flags, checked against the questions the template asks. */
export function varSource(pairs: readonly string[], questions: readonly TemplateQuestion[]): AnswerSource {
  const names = questions.map((question) => question.name);
  const values: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const name = eq > 0 ? pair.slice(0, eq) : '';
    if (!name) throw new UsageError(`--var ${pair}: expected name=value`);
    if (!names.includes(name)) {
      throw new UsageError(`--var ${name}: the template asks no such question${names.length ? ` (it asks: ${names.join(', ')})` : ''}`);
    }
    values[name] = pair.slice(eq + 1);
  }
  return { describe: (spec) => `--var ${spec.key}`, values, origin: 'flag' };
}
