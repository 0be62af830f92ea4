import { existsSync } from 'node:fs';

// Imported first by each command: `.env` is optional, so it is read when present, and variables already
// set in the environment win over it. (`node --env-file-if-exists` does the same, but says ".env not
// found" on every run without one.)
const ENV_FILE = '.env';
if (existsSync(ENV_FILE)) process.loadEnvFile(ENV_FILE);
