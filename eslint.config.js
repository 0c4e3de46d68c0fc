import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

/** Import direction (DESIGN.md): app/components → analytics, lib; ingest → analytics, lib; analytics → lib; lib → nothing of ours. */
const boundaries = [
  { target: './lib', from: ['./app', './components', './analytics', './ingest'], message: 'lib imports nothing of ours' },
  { target: './analytics', from: ['./app', './components', './ingest'], message: 'analytics may import only lib' },
  { target: './ingest', from: ['./app', './components'], message: 'ingest may import only analytics and lib' },
  { target: './app', from: ['./ingest'], message: 'the web reaches ingest through the stores, not by import' },
  { target: './components', from: ['./ingest'], message: 'the web reaches ingest through the stores, not by import' },
];

export default tseslint.config(
  { ignores: ['node_modules', '.next', '.data', '.test-data', 'next-env.d.ts', 'docs/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { typescript: true, node: true } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-restricted-paths': ['error', { zones: boundaries }],
    },
  },
);
