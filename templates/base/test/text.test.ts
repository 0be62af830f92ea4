import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUserStore } from '../src/users/user-store.ts';
import { PASSWORD, postJson, startApp } from './helpers.ts';

/** Characters a name could hide or disguise itself with, each inside a name (the ends are trimmed). */
const hidden = [
  { char: '\u200B', what: 'zero-width space', rule: /Invisible format characters are not allowed \(U\+200B\)/ },
  { char: '\u00AD', what: 'soft hyphen', rule: /Invisible format characters/ },
  { char: '\u2060', what: 'word joiner', rule: /Invisible format characters/ },
  { char: '\uFEFF', what: 'byte order mark', rule: /Invisible format characters/ },
  { char: '\u202E', what: 'right-to-left override', rule: /Invisible format characters/ },
  { char: '\u{E0041}', what: 'tag character', rule: /Invisible format characters are not allowed \(U\+E0041\)/ },
  { char: '\u2028', what: 'line separator', rule: /Line and paragraph separators/ },
  { char: '\u2029', what: 'paragraph separator', rule: /Line and paragraph separators/ },
  { char: '\u00A0', what: 'no-break space', rule: /Spaces other than the ordinary space/ },
  { char: '\u3000', what: 'ideographic space', rule: /Spaces other than the ordinary space/ },
  { char: '\uE000', what: 'private use', rule: /Private-use characters/ },
  { char: '\u{10FFFD}', what: 'private use, plane 16', rule: /Private-use characters/ },
  { char: '\u0378', what: 'unassigned', rule: /Unassigned code points/ },
  { char: '\uD800', what: 'lone high surrogate', rule: /Lone surrogates/ },
  { char: '\uDC00', what: 'lone low surrogate', rule: /Lone surrogates/ },
  { char: '\u3164', what: 'Hangul filler', rule: /Hangul filler characters are not allowed \(U\+3164\)/ },
  { char: '\u115F', what: 'Hangul choseong filler', rule: /Hangul filler characters/ },
  { char: '\u1160', what: 'Hangul jungseong filler', rule: /Hangul filler characters/ },
  { char: '\uFFA0', what: 'halfwidth Hangul filler', rule: /Hangul filler characters/ },
  { char: '\u0000', what: 'NUL', rule: /Control characters/ },
  // Invisible by Unicode (Default_Ignorable_Code_Point) but not format characters by category.
  { char: '\u034F', what: 'combining grapheme joiner', rule: /Invisible characters are not allowed \(U\+034F\)/ },
  { char: '\uFE00', what: 'variation selector', rule: /Invisible characters/ },
  { char: '\u{E0100}', what: 'variation selector, supplement', rule: /Invisible characters/ },
  { char: '\u180B', what: 'Mongolian free variation selector', rule: /Invisible characters/ },
  { char: '\uFE0F', what: 'emoji presentation selector after a letter', rule: /Invisible characters are not allowed \(U\+FE0F\)/ },
  { char: '\u2800', what: 'blank Braille pattern', rule: /Blank Braille patterns are not allowed \(U\+2800\)/ },
];

test('names refuse invisible, format, separator, private-use, unassigned and filler characters, and lone surrogates', async (t) => {
  const { url } = await startApp(t);
  for (const { char, what, rule } of hidden) {
    const res = await postJson(`${url}/api/v1/users`, { email: 'eve@example.com', password: PASSWORD, name: `Ev${char}e` });
    assert.equal(res.status, 400, what);
    const { errors } = (await res.json()) as { errors: { path: string; message: string }[] };
    assert.equal(errors[0]?.path, 'body.name', what);
    assert.match(errors[0].message, rule, what);
  }
  // A name made only of a filler is not a name either.
  const blank = await postJson(`${url}/api/v1/users`, { email: 'eve@example.com', password: PASSWORD, name: '\u3164\u3164' });
  assert.equal(blank.status, 400);
});

test('names in any script, with accents, ordinary spaces and paired surrogates (emoji) are accepted', async (t) => {
  const { url } = await startApp(t);
  for (const [index, name] of ['Zoë Ångström-李', 'Ελένη Παπαδοπούλου', 'محمد علي', '김민준', 'Ana 🌻', 'Ana \u2764\uFE0F'].entries()) {
    const res = await postJson(`${url}/api/v1/users`, { email: `person${String(index)}@example.com`, password: PASSWORD, name });
    assert.equal(res.status, 202, name);
  }
});

test('names that look the same are stored the same: an accent typed as its own mark becomes the accented letter (NFC)', async (t) => {
  const server = await startApp(t);
  const decomposed = 'Jose\u0301 Nun\u0303ez';
  assert.equal((await postJson(`${server.url}/api/v1/users`, { email: 'jose@example.com', password: PASSWORD, name: decomposed })).status, 202);
  const user = await createUserStore(server.database.db).findByEmail('jose@example.com');
  assert.equal(user?.name, 'Jos\u00E9 Nu\u00F1ez');
});
