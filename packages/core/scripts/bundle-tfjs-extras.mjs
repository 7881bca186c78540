// Builds dist/backend/tfjs-extras.node.js: tfjs-core's gradient registrations
// and chained tensor methods for Node.
//
// Why: in Node, `@tensorflow/tfjs-core` resolves to its CommonJS bundle
// (tf-core.node.js), which contains neither the gradient functions nor the
// chained ops — only the `@tensorflow/tfjs` union bundle does, and tfjs-core's
// ESM files (dist/register_all_gradients.js) cannot be loaded by Node directly
// (extensionless imports). Bundlers (Vite, webpack) load those ESM files fine,
// so browsers import them directly (dist/backend/tfjs-extras.browser.js).
// The bundle below carries its own copy of the ops the gradients use; tfjs-core
// keeps its engine, kernel and gradient registries and its Tensor class in
// globals (`getGlobal`), so that copy registers into, and runs on, the one
// engine the application uses.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, '../dist/backend');
mkdirSync(out, { recursive: true });

const entry = `
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
`;
await build({
  stdin: { contents: entry, resolveDir: resolve(here, '..'), sourcefile: 'tfjs-extras-entry.js' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outfile: resolve(out, 'tfjs-extras.node.js'),
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
});
writeFileSync(
  resolve(out, 'tfjs-extras.browser.js'),
  "import '@tensorflow/tfjs-core/dist/register_all_gradients';\nimport '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';\n",
);
