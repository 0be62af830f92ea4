/** Built by scripts/build.mjs: the built-in `.hbs` templates, precompiled, keyed by path under templates/. */
declare module 'virtual:precompiled-templates' {
  import type { TemplateSpecification } from 'handlebars';

  const templates: Readonly<Record<string, { readonly digest: string; readonly spec: TemplateSpecification }>>;
  export default templates;
}
