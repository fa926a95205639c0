import assert from "node:assert/strict";
import { releaseProblems } from "../scripts/release";

// The release check (scripts/release.ts): what stops `npm run release -- tag`.
describe("release check", () => {
    const packageJson = JSON.stringify({ version: "0.2.0", repository: { url: "git+https://github.com/acme/pulumi-druid.git" } });
    const schemaJson = JSON.stringify({ version: "0.2.0" });
    const changelog = "# Changelog\n\n## [Unreleased]\n\n## [0.2.0] - 2026-01-01\n\n### Changed\n- something\n\n## [0.1.0]\n- first\n";

    it("accepts a version present in package.json, schema.json and CHANGELOG, untagged, on a clean tree", () => {
        assert.deepEqual(releaseProblems({ packageJson, schemaJson, changelog }, false, ""), []);
    });

    it("names every mismatch", () => {
        const problems = releaseProblems({
            packageJson: JSON.stringify({ version: "0.3.0", repository: "acme/pulumi-druid" }),
            schemaJson,
            changelog: "## [Unreleased]\n### Added\n- x\n## [0.2.0]\n- y\n",
        }, true, " M README.md");
        assert.deepEqual(problems, [
            "schema.json has version 0.2.0, package.json 0.3.0: run `npm run schema` and commit",
            "CHANGELOG.md has no \"## [0.3.0]\" section",
            "CHANGELOG.md still has entries under \"## [Unreleased]\": move them under \"## [0.3.0]\"",
            "package.json repository must be https://<git host>/<owner>/<repo>, got \"acme/pulumi-druid\"",
            "tag v0.3.0 exists already",
            "the working tree has uncommitted changes:\n M README.md",
        ]);
    });
});
