// node-plop imports these at the top of its modules, for functions a run of the built-in generator
// never calls: globbing for `addMany` (tinyglobby, fdir, picomatch), the binary-file check and rm of
// `add` (node:fs/promises), module resolution for `plop.load`, and the `titleCase` helper (title-case
// builds its Unicode regular expressions when it loads). Here each is required on first call (esbuild
// runs a required module when it is first required), so a team plopfile that uses them gets the same
// functions.
export const globSync = (...args) => require('tinyglobby').globSync(...args);
export const isBinaryFileSync = (...args) => require('isbinaryfile').isBinaryFileSync(...args);
export default { sync: (...args) => require('resolve').sync(...args) };
export const rm = (...args) => process.getBuiltinModule('node:fs/promises').rm(...args);
export const titleCase = (...args) => require('title-case').titleCase(...args);
