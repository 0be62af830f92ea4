import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TemplateProvenance } from '../../src/options/answers-file.ts';
import { templateToGenerate, templateToUpdate } from '../../src/team/named-template.ts';

const CWD = '/work/here';
const RECORDED: TemplateProvenance = { source: 'https://github.com/acme/api-template.git', name: 'acme-api', ref: 'v1', commit: '0123456789abcdef' };

describe('which template update fetches, and whether --trust may cover it', () => {
  const cases = [
    { name: 'the recorded source, without --trust', named: undefined, trust: false, fetched: RECORDED.source },
    { name: '--template naming the recorded source with a token, which is used to fetch', named: 'https://x-access-token:t0k@github.com/acme/api-template.git', trust: true, fetched: 'https://x-access-token:t0k@github.com/acme/api-template.git' },
    { name: 'the github: shorthand of the recorded source', named: 'github:acme/api-template', trust: true, fetched: 'github:acme/api-template' },
    { name: '--trust without --template', named: undefined, trust: true, refused: /^--trust covers the template named by --template, not the one \.secure-express\.json names .*: if you trust https:\/\/github\.com\/acme\/api-template\.git, add --template https:\/\/github\.com\/acme\/api-template\.git$/ },
    { name: 'another repository', named: 'https://github.com/mallory/api-template.git', trust: true, refused: /^--template https:\/\/github\.com\/mallory\/api-template\.git is not the project's template: \.secure-express\.json records https:\/\/github\.com\/acme\/api-template\.git/ },
    { name: 'a #ref, which is --to\'s job', named: 'https://github.com/acme/api-template.git#v2', trust: true, refused: /^--template https:\/\/github\.com\/acme\/api-template\.git#v2: name the repository only; --to picks its branch, tag or commit$/ },
    { name: 'a token is not echoed when refused', named: 'https://x-access-token:t0k@github.com/mallory/x.git', trust: false, refused: /^--template https:\/\/github\.com\/mallory\/x\.git is not/ },
  ] as const;
  for (const { name, named, trust, ...expected } of cases) {
    it(name, () => {
      if ('refused' in expected) assert.throws(() => templateToUpdate(named, RECORDED, trust, CWD), { message: expected.refused });
      else assert.equal(templateToUpdate(named, RECORDED, trust, CWD), expected.fetched);
    });
  }

  it("does not echo the token of a record written before credentials were kept out of it", () => {
    const old = { ...RECORDED, source: 'https://x-access-token:s3cret@github.com/acme/api-template.git' };
    assert.throws(() => templateToUpdate(undefined, old, true, CWD), { message: /^--trust covers .*: if you trust https:\/\/github\.com\/acme\/api-template\.git, add --template https:\/\/github\.com\/acme\/api-template\.git$/ });
    assert.throws(() => templateToUpdate('github:acme/other', old, true, CWD), { message: /records https:\/\/github\.com\/acme\/api-template\.git \(if that was not you/ });
    // The command the refusal suggests is taken: the record's repository, its token aside.
    assert.equal(templateToUpdate('https://github.com/acme/api-template.git', old, true, CWD), 'https://github.com/acme/api-template.git');
  });

  it('a project on the built-in templates has none to fetch, and refuses --template', () => {
    assert.equal(templateToUpdate(undefined, { source: 'built-in' }, true, CWD), undefined);
    assert.throws(() => templateToUpdate('github:acme/api-template', { source: 'built-in' }, false, CWD), /this project uses the built-in templates only/);
  });
});

describe('which template a generation fetches from --template and a preset', () => {
  const cases = [
    { name: "the preset's, at its commit", named: undefined, trust: false, chosen: { spec: `${RECORDED.source}#${RECORDED.commit}`, recorded: RECORDED } },
    { name: "--template naming the preset's source: the preset's commit and ref", named: 'github:acme/api-template', trust: true, chosen: { spec: `github:acme/api-template#${RECORDED.commit}`, recorded: RECORDED } },
    { name: '--template with a #ref of its own', named: 'github:acme/api-template#v2', trust: true, chosen: { spec: 'github:acme/api-template#v2', recorded: undefined } },
    { name: 'another --template', named: 'https://github.com/acme/other.git', trust: true, chosen: { spec: 'https://github.com/acme/other.git', recorded: undefined } },
    { name: "--trust for the preset's template alone", named: undefined, trust: true, refused: /^--trust covers the template named by --template, not one a preset names: if you trust https:\/\/github\.com\/acme\/api-template\.git, add --template https:\/\/github\.com\/acme\/api-template\.git$/ },
  ] as const;
  for (const { name, named, trust, ...expected } of cases) {
    it(name, () => {
      if ('refused' in expected) assert.throws(() => templateToGenerate(named, RECORDED, trust, CWD), { message: expected.refused });
      else assert.deepEqual(templateToGenerate(named, RECORDED, trust, CWD), expected.chosen);
    });
  }
});
