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
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// An ESM `import … from 'node:crypto'` makes Node build the module's whole namespace,
// which runs every lazy getter the builtin has (webcrypto, subtle, …); require() does not.
// Loading the CLI's nine builtins the CommonJS way took 10-15 ms instead of 25-30 ms in
// isolation, and `wiretight --version` went from a median of 75 ms to 70 ms (eight
// interleaved runs); a whole scan is too noisy to show it. Our code still sees ESM:
// esbuild wraps each require() in its interop helper, whose getters read through lazily.
//
// That helper copies every own property of the module into a fresh object for each
// module that imports it (node:crypto has 74, node:fs 108, and a quick scan imports
// builtins 22 times). A builtin that is a plain object is therefore handed over as an
// object whose prototype is the builtin: nothing to copy, every member found through the
// prototype. A builtin that is a function (node:events, node:assert) is handed over as it
// is, since its default import must stay callable, and so is node:process, an event
// emitter whose methods must run on the process itself.
//
// commander requires node:child_process when it loads, for one feature the CLI never uses
// (subcommands that are separate executables), and Node then loads child_process, dgram
// and their internals on every start. Its stand-in's prototype requires it on first use
// of a member instead.
const LAZY_BUILTINS = new Set(['node:child_process']);
const requireHere = createRequire(import.meta.url);

function builtinStandIn(path: string): string {
  const name = JSON.stringify(path);
  const builtin: unknown = requireHere(path);
  if (typeof builtin !== 'object' || builtin === null || builtin === process) {
    return `module.exports = require(${name});`;
  }
  if (!LAZY_BUILTINS.has(path)) return `module.exports = Object.create(require(${name}));`;
  const members = Object.keys(builtin).map(
    (m) => `get ${JSON.stringify(m)}() { return require(${name})[${JSON.stringify(m)}]; }`,
  );
  return `module.exports = Object.create({ ${members.join(', ')} });`;
}

const builtinsViaRequire: Plugin = {
  name: 'builtins-via-require',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => {
      if (args.kind === 'require-call') return undefined;
      // A builtin imported on demand stays Node's own import, loaded only then.
      if (args.kind === 'dynamic-import') return { path: args.path, external: true };
      return { path: args.path, namespace: 'builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: builtinStandIn(args.path),
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
