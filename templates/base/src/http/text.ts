import { z } from 'zod';

/**
 * What a line of text people will read (a name, a title) may not hold, and why. Each of these is
 * invisible or makes the text display as something else wherever it is shown (admin screens, emails,
 * logs), so two names that look the same could differ, and a name could look empty or like another.
 */
const REFUSED_CHARACTERS: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  // NUL included: PostgreSQL refuses NUL in text, so it would otherwise be a 500.
  { pattern: /\p{Cc}/u, what: 'Control characters' },
  // Zero-width space and joiners, soft hyphen, word joiner, byte order mark, the tag characters of
  // the U+E0000 block (text hidden inside an emoji), and the direction marks and overrides that show
  // `\u202Egnp.exe` as `exe.png`.
  { pattern: /\p{Cf}/u, what: 'Invisible format characters' },
  // U+2028 and U+2029 break a one-line field into lines.
  { pattern: /[\p{Zl}\p{Zp}]/u, what: 'Line and paragraph separators' },
  // No-break, thin, ideographic and other spaces: a name that looks like another, or like nothing.
  { pattern: /(?! )\p{Zs}/u, what: 'Spaces other than the ordinary space' },
  // Shown as whatever a font chooses, or as nothing: no meaning every reader shares.
  { pattern: /\p{Co}/u, what: 'Private-use characters' },
  { pattern: /\p{Cn}/u, what: 'Unassigned code points' },
  // Half of a character: the string is not well-formed Unicode (what `String#isWellFormed` refuses),
  // and becomes U+FFFD or an error in whatever stores or shows it next.
  { pattern: /\p{Cs}/u, what: 'Lone surrogates' },
  // Hangul fillers are letters by category but blank on screen: the usual way to make an "empty" name.
  { pattern: /[\u115F\u1160\u3164\uFFA0]/u, what: 'Hangul filler characters' },
  // The rest of what Unicode says to show as nothing (Default_Ignorable_Code_Point): the combining
  // grapheme joiner and the variation selectors. An emoji's presentation selector (U+FE0E, U+FE0F) is
  // kept after an emoji, where it belongs (❤️), and refused after anything else.
  { pattern: /(?![\uFE0E\uFE0F])\p{Default_Ignorable_Code_Point}|(?<!\p{Emoji})[\uFE0E\uFE0F]/u, what: 'Invisible characters' },
  // A symbol by category, but a blank on screen: the other usual way to make an "empty" name.
  { pattern: /\u2800/u, what: 'Blank Braille patterns' },
];

/** Why `value` is refused, naming the first refused character by its code point; undefined if it is fine. */
export function refusedCharacterIn(value: string): string | undefined {
  for (const { pattern, what } of REFUSED_CHARACTERS) {
    const found = pattern.exec(value)?.[0];
    if (found !== undefined) {
      const codePoint = (found.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      return `${what} are not allowed (U+${codePoint})`;
    }
  }
  return undefined;
}

/**
 * A trimmed line of text people will read, 1 to `max` characters, without the characters above, in
 * NFC: an accent typed as a letter and a combining mark (`e` + U+0301) becomes the one accented letter
 * (`é`), so two names that look the same are the same string.
 */
export function plainText(max: number) {
  return z
    .string()
    .trim()
    .normalize('NFC')
    .min(1)
    .max(max)
    .superRefine((value, context) => {
      const refused = refusedCharacterIn(value);
      if (refused !== undefined) context.addIssue({ code: 'custom', message: refused });
    });
}
