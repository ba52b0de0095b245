/**
 * Bundles the CLI into dist/bin/: main.js plus one chunk per lazily loaded command path.
 * Node then opens a handful of files instead of ~50 modules and commander's tree. When
 * adopted it took about 20 ms off each start (a one-off interleaved comparison with the
 * unbundled build); bench/scan.ts reports the whole process time against sslscan. The library API
 * (dist/index.js and its types) comes from tsc, unbundled.
 *
 *   node scripts/bundle-cli.ts
 */
import { build, type Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// An ESM `import … from 'node:crypto'` makes Node build the module's whole namespace,
// which runs every lazy getter the builtin has (webcrypto, subtle, …); require() does not.
// Loading the CLI's nine builtins the CommonJS way took 10-15 ms instead of 25-30 ms in
// isolation, and `wiretight --version` went from a median of 75 ms to 70 ms (eight
// interleaved runs); a whole scan is too noisy to show it. Our code still sees ESM:
// esbuild wraps each require() in its interop helper, whose getters read through lazily.
const builtinsViaRequire: Plugin = {
  name: 'builtins-via-require',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) =>
      args.kind === 'require-call' ? undefined : { path: args.path, namespace: 'builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // commander is CommonJS: its require() calls need a require in ESM scope.
  banner: {
    js: "import { createRequire as __wtRequire } from 'node:module'; const require = __wtRequire(import.meta.url);",
  },
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'linked',
  logLevel: 'warning',
  plugins: [builtinsViaRequire],
});
