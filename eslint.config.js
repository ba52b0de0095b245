// Lint is the second gate after the type checker: it keeps the dependency direction of
// STYLE.md (core ← wire ← probe ← scan ← report, cli on top) and bans untyped errors.
import tseslint from 'typescript-eslint';

const layers = {
  core: [],
  wire: ['core'],
  probe: ['core', 'wire'],
  pki: ['core'],
  scan: ['core', 'wire', 'probe', 'pki'],
  report: ['core', 'wire', 'scan', 'pki'],
};

const layerRules = Object.entries(layers).map(([layer, allowed]) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: Object.keys(layers)
          .filter((other) => other !== layer && !allowed.includes(other))
          .concat(['cli', 'watch', 'web', 'ca', 'acme', 'tunnel', 'store', 'metrics'])
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
