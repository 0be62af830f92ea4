/**
 * The oldest release of each Node major a generated project runs on: 22.18 is the first 22 to strip
 * types by default, 24.7 the first 24 with crypto.argon2 (the project's password hash on 24).
 */
export const nodeEngines = { 22: '>=22.18', 24: '>=24.7' } as const;
