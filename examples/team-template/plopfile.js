// Runs only with --trust (or after a yes on a terminal): it is code from this repository.
export default function acmeTemplate(plop) {
  plop.setHelper('shout', (text) => String(text).toUpperCase());
}
