// node-plop's src/fs-promise-proxy.js, except that it reaches fs.promises when an action calls it:
// node-plop's version reads fs.promises.readdir, .stat and .chmod when the bundle loads, which loads
// node:fs/promises, a module a run of the built-in generator does not otherwise need.
import fs from 'node:fs';

export const makeDir = (path) => fs.promises.mkdir(path, { recursive: true });
export const readdir = (...args) => fs.promises.readdir(...args);
export const stat = (...args) => fs.promises.stat(...args);
export const chmod = (...args) => fs.promises.chmod(...args);
export const readFile = (path) => fs.promises.readFile(path, 'utf8');
export const writeFile = (path, data) => fs.promises.writeFile(path, data, 'utf8');
export const readFileRaw = (path) => fs.promises.readFile(path, null);
export const writeFileRaw = (path, data) => fs.promises.writeFile(path, data, null);
export const fileExists = (path) =>
  fs.promises.access(path).then(
    () => true,
    () => false,
  );

export const constants = fs.constants;
