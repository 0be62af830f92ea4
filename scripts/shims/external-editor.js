// @inquirer/prompts includes the `editor` prompt, which pulls in iconv-lite and chardet (half a megabyte).
// The generator never asks an editor question, so the bundle replaces that dependency with this.
export class ExternalEditor {
  constructor() {
    throw new Error('the editor prompt is not available in create-secure-express');
  }
}
export const editAsync = () => Promise.reject(new Error('the editor prompt is not available'));
export const edit = () => {
  throw new Error('the editor prompt is not available');
};
