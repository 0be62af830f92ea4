/** Built by scripts/build.mjs: the built-in `.hbs` templates, precompiled, keyed by path under templates/. */
declare module 'virtual:precompiled-templates' {
  import type { TemplateSpecification } from 'handlebars';

  const templates: Readonly<Record<string, { readonly source: string; readonly spec: TemplateSpecification }>>;
  export default templates;
}

/** node-plop's case helpers (camelCase, kebabCase, ...), which every node-plop instance starts with. */
declare module 'node-plop/src/baked-in-helpers.js' {
  const helpers: Readonly<Record<string, (text: string) => string>>;
  export default helpers;
}
