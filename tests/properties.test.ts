import assert from "node:assert/strict";
import { parseProperties, serializeProperties } from "../components/core/properties";
import { JavaProperties } from "./support/druid-property";

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

    it("java.util.Properties reads back exactly the same keys and values", async function () {
        if (!JavaProperties.available()) {
            if (process.env.CI) throw new Error("java is required in CI (.ci/run installs it)");
            this.skip();
        }
        this.timeout(60000);
        // The same reader the property-based test uses (tests/java/PropertiesServer.java).
        const java = new JavaProperties();
        try {
            const expected = Object.keys(awkward).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)).map((k) => [k, awkward[k]]);
            assert.deepEqual(await java.read(text), expected);
        } finally {
            java.close();
        }
    });
});
