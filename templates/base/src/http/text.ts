import { z } from 'zod';

/**
 * Control characters (NUL included) and the invisible direction marks and overrides that make text
 * display as something else (`\u202Egnp.exe` shows as `exe.png`) wherever it is shown: admin screens,
 * emails, logs. PostgreSQL also refuses NUL in text, so it would otherwise be a 500.
 */
const UNSAFE_TEXT = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/** A trimmed line of text people will read, 1 to `max` characters, without unsafe characters. */
export function plainText(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !UNSAFE_TEXT.test(value), 'Control and text-direction characters are not allowed');
}
