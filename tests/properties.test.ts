import assert from "node:assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseProperties, serializeProperties } from "../components/config/properties";

const awkward: Record<string, string> = {
    "plain.key": "plain value",
    "key with spaces": "value with spaces",
    "key=with:separators": "a=b:c",
    "hash#and!bang": "#not a comment !",
    "back\\slash": "C:\\druid\\var\\",
    "leading": "  two leading spaces",
    "trailing": "trailing spaces  ",
    "unicode.κλειδί": "ünïcödé ✓ 日本語 😀",
    "control": "tab\there\nnewline\rreturn\fformfeed",
    "json": "{\"type\":\"environment\",\"variable\":\"X\"}",
    "empty": "",
};

function codes(s: string): number[] {
    return Array.from({ length: s.length }, (_, i) => s.charCodeAt(i));
}

describe("properties serializer", () => {
    const text = serializeProperties(awkward, "header line");

    it("is deterministic and sorted", () => {
        assert.equal(serializeProperties(awkward, "header line"), text);
        const keys = text.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split(/(?<!\\)=/)[0]);
        assert.deepEqual(keys, [...keys].sort());
        assert.match(text, /^# header line\n/);
        assert.ok(/^[\x20-\x7e\n]*$/.test(text), "only printable ASCII and newlines: non-ASCII is \\u-escaped");
    });

    it("round-trips awkward keys and values through the Java-compatible parser", () => {
        assert.deepEqual(parseProperties(text), awkward);
    });

    it("java.util.Properties reads back exactly the same keys and values", function () {
        let javaOk = true;
        try { execFileSync("java", ["-version"], { stdio: "ignore" }); } catch { javaOk = false; }
        if (!javaOk) {
            if (process.env.CI) throw new Error("java is required in CI (.ci/run installs it)");
            this.skip();
        }
        this.timeout(60000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "props-"));
        const file = path.join(dir, "test.properties");
        fs.writeFileSync(file, text);
        const out = execFileSync("java", [path.join(__dirname, "java", "ReadProperties.java"), file], { encoding: "utf8" });
        const expected = Object.keys(awkward).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((k) => [codes(k), codes(awkward[k])]);
        assert.deepEqual(JSON.parse(out), expected);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
