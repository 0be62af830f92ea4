// node-plop imports inquirer (v9, with rxjs and ora) for its own prompt runner. The generator asks its
// questions with its own inquirer and only runs node-plop's actions, so the bundle gives node-plop this
// stand-in instead: a plopfile that registers a prompt type gets a clear error, not a silent no-op.
const unavailable = () => {
  throw new Error('prompts are not available inside create-secure-express templates; use manifest questions');
};
const prompt = Object.assign(unavailable, { prompts: {} });
export default { prompt, registerPrompt: unavailable };
