import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMailer } from '../src/mail/mailer.ts';
import { loadMessages, type MessageName } from '../src/mail/messages.ts';
import { captureLogs, PASSWORD, postJson, startApp, testConfig } from './helpers.ts';
import { startMailServer } from './mail-server.ts';

test('in development, a mail is printed to the log, link included; without SMTP_URL production does not start', async (t) => {
  const { logger, lines } = captureLogs();
  const { url, mailSettled } = await startApp(t, { NODE_ENV: 'development' }, { logger });
  assert.equal((await postJson(`${url}/api/v1/users`, { email: 'dev@example.com', password: PASSWORD })).status, 202);
  await mailSettled();
  const printed = lines().find((line) => typeof line.msg === 'string' && line.msg.startsWith('mail to dev@example.com (development: printed, not sent)'));
  assert.ok(printed, 'the mail is in the log');
  assert.match(String(printed.msg), /http:\/\/localhost:5173\/verify-email\?token=[A-Za-z0-9_-]{43}\n/);

  assert.throws(() => testConfig({ NODE_ENV: 'production', SMTP_URL: '' }), /^ConfigError: Missing environment variable SMTP_URL: production sends mail/);
});

test('every message file names its subject and its link; values are inserted as plain text', () => {
  const compose = loadMessages();
  for (const name of ['verify-email', 'reset-password', 'sign-up-attempt'] satisfies MessageName[]) {
    const mail = compose(name, 'ada@example.com', { link: 'https://app.example.com/x?token={{link}}' });
    assert.ok(mail.subject.length > 0 && !mail.subject.includes('\n'), name);
    assert.ok(mail.text.includes('https://app.example.com/x?token={{link}}'), `${name} carries the link, unexpanded`);
    assert.equal(mail.text.split('https://app.example.com/x').length, 2, `${name} has one link`);
  }
});

test('SMTP: the mail arrives from MAIL_FROM to the address, through nodemailer', async (t) => {
  const server = await startMailServer(t);
  const config = testConfig({ ...server.env, MAIL_FROM: 'Example API <no-reply@example.com>' });
  const mailer = createMailer(config.mail, captureLogs().logger);
  t.after(() => mailer.close());
  await mailer.send({ to: 'ada@example.com', subject: 'Hello', text: `line one\n${'long '.repeat(40)}\nhttps://app.example.com/verify-email?token=${'A'.repeat(43)}` });
  const received = await server.next('ada@example.com');
  assert.equal(received.subject, 'Hello');
  assert.ok(received.text.includes(`https://app.example.com/verify-email?token=${'A'.repeat(43)}`));
});
