// ESLint flat config: typescript-eslint's type-aware recommended rules over every TypeScript file the
// project compiles (tsconfig.test.json); layout is Prettier's alone (eslint-config-prettier).
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import { defineConfig } from 'eslint/config'
import tseslint from 'typescript-eslint'

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.tmp/', 'bench-results/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `_name` marks a column of a test table that the test does not read.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }]
    }
  },
  {
    // Fakes and the test endpoint implement async interfaces (Ecr, Registry, the AWS JSON handlers) whose
    // in-memory bodies have nothing to await; requiring an await there would only add noise.
    files: ['__fixtures__/**', '__tests__/**', 'e2e/**', 'bench/**'],
    rules: { '@typescript-eslint/require-await': 'off' }
  },
  {
    // Plain JavaScript (configs, scripts/*.mjs) is outside the TypeScript project: no type information.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } }
  },
  prettier
)
