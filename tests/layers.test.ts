import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

// The layers of docs/design.md, checked by dependency-cruiser (.dependency-cruiser.cjs, run by
// `npm run depcruise` in `npm test`): the package passes, and an upward import fails it.

const root = path.join(__dirname, "..");
const depcruise = process.env.DEPCRUISE ?? path.join(root, "node_modules", ".bin", "depcruise");

function cruise(files: string[]): { status: number | null; out: string } {
    const r = spawnSync(depcruise, [...files, "--config", ".dependency-cruiser.cjs", "--output-type", "err"],
        { cwd: root, encoding: "utf8" });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("layers (docs/design.md, .dependency-cruiser.cjs)", () => {
    it("the package has no import cycle and no upward import", () => {
        const r = cruise(["components", "cli", "testing", "index.ts", "provider.ts", "schema-provider.ts", "construct-inputs.ts"]);
        assert.strictEqual(r.status, 0, r.out);
    });

    for (const [layer, target, rule] of [
        ["plan", "../k8s/druid-service", "plan-not-to-config-builders-component"],
        ["plan", "../config/druid-config", "plan-not-to-config-builders-component"],
        ["config", "../k8s/zookeeper", "config-not-to-builders-component"],
        ["config", "@pulumi/pulumi", "config-is-pure"],
        ["k8s", "../druid-cluster", "builders-not-to-component"],
        ["core", "../plan/names", "core-imports-only-core"],
    ] as const) {
        it(`refuses components/${layer}/ importing ${target} (${rule})`, () => {
            const file = path.join(root, "components", layer, `layers-test-${process.pid}.ts`);
            fs.writeFileSync(file, `import * as upward from "${target}";\nexport const x = upward;\n`);
            try {
                const r = cruise([path.relative(root, file)]);
                assert.notStrictEqual(r.status, 0, r.out);
                assert.match(r.out, new RegExp(`${rule}: components/${layer}/layers-test-${process.pid}\\.ts`));
            } finally {
                fs.rmSync(file);
            }
        });
    }
});
