import tseslint from 'typescript-eslint';

/** Import direction (DESIGN.md): app/components → analytics, lib; ingest → analytics, lib; analytics → lib; lib → nothing of ours. */
const forbid = (files, folders, message) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: folders.map((f) => ({ group: [`@/${f}/**`, `**/${f}/**`, `../${f}`, `../../${f}`], message })) },
    ],
  },
});

export default tseslint.config(
  { ignores: ['node_modules', '.next', '.data', '.test-data', 'next-env.d.ts', 'docs/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  forbid(['lib/**'], ['app', 'components', 'analytics', 'ingest'], 'lib imports nothing of ours'),
  forbid(['analytics/**'], ['app', 'components', 'ingest'], 'analytics may import only lib'),
  forbid(['ingest/**'], ['app', 'components'], 'ingest may import only analytics and lib'),
  forbid(['app/**', 'components/**'], ['ingest'], 'the web reaches ingest through the stores, not by import'),
);
