// Lint is the second gate after the type checker: it keeps the dependency direction of
// STYLE.md (core ← wire ← probe ← scan ← report, pki ← ca ← acme, cli on top) and bans untyped errors.
import tseslint from 'typescript-eslint';

const layers = {
  core: [],
  wire: ['core'],
  probe: ['core', 'wire'],
  pki: ['core'],
  scan: ['core', 'wire', 'probe', 'pki'],
  report: ['core', 'wire', 'scan', 'pki'],
  metrics: ['core'],
  ca: ['core', 'pki', 'metrics'],
  acme: ['core', 'pki', 'ca', 'metrics'],
  tunnel: ['core', 'pki', 'ca', 'metrics'],
  // A backend implements the interfaces its users own, so it reads their types.
  store: ['core', 'ca', 'acme'],
};

// Layers not written yet are off limits to every layer above until they are listed.
const unlisted = ['cli', 'watch', 'web'];

const layerRules = Object.entries(layers).map(([layer, allowed]) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: Object.keys(layers)
          .concat(unlisted)
          .filter((other) => other !== layer && !allowed.includes(other))
          .map((other) => ({
            group: [`**/${other}/*`, `**/${other}/index.ts`],
            message: `src/${layer} may not depend on src/${other} (see STYLE.md, dependencies point one way)`,
          })),
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'src/wire/registry/*.generated.ts'] },
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Error']",
          message:
            'Throw a WiretightError subclass with a code, or TypeError/RangeError for bad arguments.',
        },
      ],
    },
  },
  ...layerRules,
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', '**/*.test.ts'],
    rules: { 'no-restricted-syntax': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
