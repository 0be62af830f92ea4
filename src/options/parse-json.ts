/**
 * JSON.parse for the files a run reads from elsewhere (a team manifest, a preset, a project's record),
 * refusing nesting no real file has. V8 parses deep nesting fine, but the checks that follow
 * (JSON.stringify in a message, a deep comparison) recurse, and a file of ten thousand `[` stopped the
 * run with "Maximum call stack size exceeded" instead of a line naming the file.
 */
const MAX_DEPTH = 32;

export function parseJson(text: string): unknown {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '[' || char === '{') {
      if (++depth > MAX_DEPTH) throw new SyntaxError(`nested more than ${MAX_DEPTH} levels deep`);
    } else if (char === ']' || char === '}') depth--;
  }
  return JSON.parse(text);
}
