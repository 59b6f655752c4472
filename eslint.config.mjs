// ESLint flat config: AWS's AppSync rules (recommended set) over the APPSYNC_JS sources.
// The recommended set includes type-aware rules (no-recursion, no-disallowed-methods,
// no-function-passing, ...), so the sources are parsed with a TypeScript project.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import appsync from '@aws-appsync/eslint-plugin';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

/**
 * The AppSync configuration for `files`, typed through the tsconfig `project`
 * (relative to `tsconfigRootDir`). Exported so generated bundles are linted with the very
 * same rules (tests/resolvers/test_resolver_lint.py).
 */
export function appsyncConfig(files, project, tsconfigRootDir) {
    const recommended = appsync.configs.recommended;
    return [
        {
            ...recommended,
            files,
            languageOptions: {
                ...recommended.languageOptions,
                ecmaVersion: 2022,
                sourceType: 'module',
                parserOptions: { project, tsconfigRootDir },
            },
            linterOptions: { reportUnusedDisableDirectives: 'error' },
        },
    ];
}

export default [
    { ignores: ['node_modules/**', 'cdk.out/**', '.venv/**'] },
    ...appsyncConfig(['resolvers/**/*.js'], './tsconfig.eslint.json', ROOT),
];
