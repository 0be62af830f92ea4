/** /api/v1/{{kebabCase name}} (src/routes/{{kebabCase name}}.ts). */
export interface {{pascalCase name}}Table {
  id: string;
  name: string;
{{#if (is access 'owner')}}
  /** The user who created it: only they (and admins) may see or change it. */
  owner_id: string;
{{/if}}
  created_at: number;
}

// new:route table types
