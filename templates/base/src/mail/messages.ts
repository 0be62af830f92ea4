import { readFileSync } from 'node:fs';
import type { Mail } from './mailer.ts';

/** The mails the API sends, one plain file each in src/mail/messages/ (copied next to dist/mail/ by the build). */
export type MessageName = 'verify-email' | 'reset-password' | 'sign-up-attempt';

const MESSAGE_NAMES: readonly MessageName[] = ['verify-email', 'reset-password', 'sign-up-attempt'];

interface MessageText {
  readonly subject: string;
  readonly body: string;
}

/**
 * A message file is `Subject: <subject>`, a blank line, then the body. Placeholders such as `{{link}}`
 * are replaced as plain text: no template engine runs at request time, and a value can never be read
 * as template syntax.
 */
function parseMessage(name: string, text: string): MessageText {
  const match = /^Subject: ([^\r\n]+)\r?\n\r?\n([\s\S]+)$/.exec(text);
  if (!match) throw new Error(`src/mail/messages/${name}.txt must start with a "Subject: ..." line and a blank line`);
  return { subject: match[1] ?? '', body: match[2] ?? '' };
}

export type ComposeMail = (name: MessageName, to: string, values: Readonly<Record<string, string>>) => Mail;

/**
 * Reads every message file now (at start, so a broken file stops the start rather than a request)
 * and returns what writes a mail: the message `name` to `to`, each `{{placeholder}}` in its text
 * replaced by the value given.
 */
export function loadMessages(): ComposeMail {
  const messages = new Map(
    MESSAGE_NAMES.map((name) => {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the project's own files, names from the list above
      const text = readFileSync(new URL(`messages/${name}.txt`, import.meta.url), 'utf8');
      return [name, parseMessage(name, text)];
    }),
  );
  return (name, to, values) => {
    const message = messages.get(name);
    if (message === undefined) throw new Error(`no message named ${name}`);
    const fill = (text: string) => text.replace(/\{\{(\w+)\}\}/g, (placeholder, key: string) => values[key] ?? placeholder);
    return { to, subject: fill(message.subject), text: fill(message.body) };
  };
}
