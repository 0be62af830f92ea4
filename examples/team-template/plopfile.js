// Acme's additions to every new service, run by create-secure-express through node-plop after its own
// files are written. This is code: the generator runs it only with --trust, or after a yes on a terminal.

/** @param {import('node-plop').NodePlopAPI} plop */
export default function acmeTemplate(plop) {
  plop.setGenerator('secure-express', {
    description: "register Acme's service-info route",
    prompts: [],
    actions: [
      {
        type: 'modify',
        path: 'src/routes/index.ts',
        pattern: /^\/\/ new:route imports$/m,
        template: "import { serviceInfoRouter } from './service-info.ts';\n// new:route imports",
      },
      {
        type: 'modify',
        path: 'src/routes/index.ts',
        pattern: /^( *)\/\/ new:route mounts$/m,
        template: "$1router.use('/service-info', serviceInfoRouter());\n$1// new:route mounts",
      },
    ],
  });
}
