// ESLint: typescript-eslint (type-aware) and Pulumi's own rules for Output misuse.
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/**", "dist/**", "out/**", "scratch/**", "examples/python/**", "**/*.js", "**/*.mjs", "**/*.cjs"] },
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: { project: "./tsconfig.check.json", tsconfigRootDir: import.meta.dirname },
        },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-explicit-any": "error",
            "@typescript-eslint/no-floating-promises": "error",
        },
    },
    {
        // mocha's describe/it callbacks and node:assert are the test idiom.
        files: ["tests/**/*.ts"],
        rules: { "@typescript-eslint/no-floating-promises": "off" },
    },
);
