// `npm run release -- check|tag`: the release of version <v> = package.json `version`.
//
//   check   package.json, schema.json and CHANGELOG.md agree on the version (CHANGELOG has a
//           `## [<v>]` section with content, and no leftover entries under `## [Unreleased]`),
//           package.json `repository` is set, no tag v<v> exists yet, the working tree is clean.
//   tag     the checks, then an annotated tag v<v> on HEAD (push it yourself: `git push origin v<v>`).
//
// Steps of a release (also in docs/development.md, "Releasing"): move the Unreleased entries under `## [<v>] - <date>`,
// `npm version <v> --no-git-tag-version`, `npm run schema` (the schema carries the version), commit,
// `npm test`, `npm run release -- tag`, `git push origin main v<v>`, then `npm publish` (to npm or
// your private registry). `pulumi package add <repository>@v<v>` resolves that tag.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { repositoryUrl } from "./schema";

const root = path.join(__dirname, "..");

function git(...args: string[]): string {
    return execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
}

/** The problems that stop a release of package.json's version; empty when it can be tagged. */
export function releaseProblems(files: { packageJson: string; schemaJson: string; changelog: string }, tagExists: boolean, dirty: string): string[] {
    const problems: string[] = [];
    const pkg = JSON.parse(files.packageJson) as { version: string; repository?: string | { url?: string } };
    const version = pkg.version;
    const schemaVersion = (JSON.parse(files.schemaJson) as { version?: string }).version;
    if (schemaVersion !== version) problems.push(`schema.json has version ${schemaVersion}, package.json ${version}: run \`npm run schema\` and commit`);
    const sections = files.changelog.split(/^## /m).slice(1);
    const section = sections.find((s) => s.startsWith(`[${version}]`));
    if (section === undefined) problems.push(`CHANGELOG.md has no "## [${version}]" section`);
    else if (section.split("\n").slice(1).join("\n").trim() === "") problems.push(`CHANGELOG.md's "## [${version}]" section is empty`);
    const unreleased = sections.find((s) => s.startsWith("[Unreleased]"));
    if (unreleased !== undefined && /^[-*] |^### /m.test(unreleased)) problems.push(`CHANGELOG.md still has entries under "## [Unreleased]": move them under "## [${version}]"`);
    try {
        repositoryUrl(pkg);
    } catch (e) {
        problems.push((e as Error).message);
    }
    if (tagExists) problems.push(`tag v${version} exists already`);
    if (dirty !== "") problems.push(`the working tree has uncommitted changes:\n${dirty}`);
    return problems;
}

function main(command: string | undefined): number {
    if (command !== "check" && command !== "tag") {
        console.error("usage: npm run release -- check|tag");
        return 2;
    }
    const read = (f: string) => fs.readFileSync(path.join(root, f), "utf8");
    const files = { packageJson: read("package.json"), schemaJson: read("schema.json"), changelog: read("CHANGELOG.md") };
    const version = (JSON.parse(files.packageJson) as { version: string }).version;
    const tagExists = git("tag", "--list", `v${version}`) !== "";
    const problems = releaseProblems(files, tagExists, git("status", "--porcelain", "--untracked-files=no"));
    if (problems.length > 0) {
        console.error(`v${version} cannot be released:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        return 1;
    }
    if (command === "tag") {
        git("tag", "-a", `v${version}`, "-m", `pulumi-druid v${version}`);
        console.log(`Tagged v${version} on ${git("rev-parse", "--short", "HEAD")}. Push it: git push origin v${version}`);
    } else {
        console.log(`v${version} is ready to tag.`);
    }
    return 0;
}

if (require.main === module) process.exitCode = main(process.argv[2]);
