import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { DruidCluster, DruidClusterArgs } from "../index";
import { parseBytes } from "../components/core/quantities";
import { parseProperties } from "../components/core/properties";
import { Plan, planProgram } from "../testing";
import { defaultArgs } from "./fixtures/args";
import { busyboxAvailable, druidShJvmArguments, jvmConfigFlags } from "./support/busybox-xargs";

// Issue #22: inputs that were accepted and would not work (each refused in tests/bad-input.test.ts)
// and legal inputs that were refused. Here: what the accepted ones render.

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);

async function build(args: DruidClusterArgs, preview = false): Promise<Plan> {
    return (await planProgram(() => new DruidCluster("druid", args), { preview, config: { "aws:region": "eu-west-1" } })).plan;
}

/** Every jvm.config of a plan's ConfigMaps, by ConfigMap. */
function jvmConfigs(plan: Plan): [string, string][] {
    return plan.ofType("kubernetes:core/v1:ConfigMap")
        .map((c): [string, unknown] => [c.name, at(c.inputs, "data", "jvm.config")])
        .filter((e): e is [string, string] => typeof e[1] === "string");
}

describe("every rendered jvm.config reaches the JVM intact through druid.sh's `cat | xargs` (real busybox)", function () {
    this.timeout(180000);
    before(function () {
        if (!busyboxAvailable()) {
            if (process.env.CI) throw new Error("busybox is required in CI (.ci/run installs busybox-static)");
            this.skip();
        }
    });

    it("services, Peons' MiddleManager and task pods, with every legal awkward character in their options", async () => {
        const awkward = ["-Dx=a$b", "-Dy=a*b?[c]", "-Dz=a;b|c&d", "-Dw=ünï日本", "-Dv=a=b:c,d", "-XX:+UseG1GC", "-Dempty=", "-Du=#not-a-comment"];
        const args: DruidClusterArgs = {
            ...defaultArgs(),
            query: { broker: { jvmOptions: awkward }, router: { jvmOptions: ["-Dr=1"] } },
            master: { coordinator: { jvmOptions: awkward.slice(0, 3) } },
            data: { historicalTiers: [{ name: "default", volumeSize: "100Gi", jvmOptions: awkward }], ingestion: { jvmOptions: awkward.slice(2), peonJvmOptions: awkward } },
        };
        const configs = jvmConfigs(await build(args));
        assert.ok(configs.length >= 5, configs.map(([n]) => n).join(", "));
        const words = druidShJvmArguments(configs.map(([, t]) => t));
        configs.forEach(([name, text], i) => {
            const flags = jvmConfigFlags(text);
            assert.ok(flags.some((f) => f.startsWith("-Xmx")), `${name}: no -Xmx`);
            assert.deepEqual(words[i], flags, `${name}: the JVM would get other arguments than jvm.config holds`);
        });
        // The Broker's own options are all there.
        const broker = configs.findIndex(([n]) => n.includes("broker"));
        for (const f of awkward) assert.ok(words[broker].includes(f), f);
    });

    it("task pods (worker kubernetesJobs) get their jvm.config intact too", async () => {
        const plan = await build({ ...defaultArgs(), coordination: "kubernetes", data: { ingestion: { worker: "kubernetesJobs", jvmOptions: ["-Dx=a$b", "-XX:+UseG1GC"] } } });
        const configs = jvmConfigs(plan);
        const words = druidShJvmArguments(configs.map(([, t]) => t));
        configs.forEach(([name, text], i) => assert.deepEqual(words[i], jvmConfigFlags(text), name));
        assert.ok(words.some((w) => w.includes("-Dx=a$b")), "no task pod jvm.config with the option");
    });

    it("the check itself: a quote (what the component now refuses) would empty the whole command line", () => {
        const [quoted, backslash] = druidShJvmArguments(["-Xmx1g\n-Dquote='x\n-XX:MaxDirectMemorySize=1g\n", "-Xmx1g\n-Dp=C:\\druid\n"]);
        assert.deepEqual(quoted, []);
        assert.deepEqual(backslash, ["-Xmx1g", "-Dp=C:druid"]);
    });
});

describe("legal inputs that were refused (#22 item 8)", function () {
    this.timeout(180000);

    it("Druid property keys named like Object.prototype members are plain properties", async () => {
        const keys = ["toString", "constructor", "valueOf", "hasOwnProperty", "isPrototypeOf"];
        const plan = await build({ ...defaultArgs(), commonProperties: Object.fromEntries(keys.map((k, i) => [k, `v${i}`])) });
        const common = plan.ofType("kubernetes:core/v1:ConfigMap").map((c) => at(c.inputs, "data", "common.runtime.properties")).find((t) => typeof t === "string") as string;
        const props = parseProperties(common);
        keys.forEach((k, i) => assert.equal(Object.hasOwn(props, k) ? props[k] : undefined, `v${i}`, k));
    });

    it("quantities are exact: 0.54T is 540000000000 bytes, 1.5Gi whole, 0.1 not", () => {
        assert.equal(parseBytes("0.54T", "v", 64 * 2 ** 40), 540_000_000_000);
        assert.equal(parseBytes("0.3G", "v"), 300_000_000);
        assert.equal(parseBytes("1.5Gi", "v"), 1.5 * 2 ** 30);
        assert.equal(parseBytes("1e3", "v"), 1000);
        assert.throws(() => parseBytes("0.1", "v"), /whole number of bytes/);
        assert.throws(() => parseBytes("1.0000000001k", "v"), /whole number of bytes/);
        assert.throws(() => parseBytes("17Ti", "v"), /at most 16Ti/);
    });

    it("a Historical tier of volumeSize \"0.54T\" renders its claim", async () => {
        const plan = await build({ ...defaultArgs(), data: { historicalTiers: [{ name: "default", volumeSize: "0.54T" }] } });
        const sts = plan.ofType("kubernetes:apps/v1:StatefulSet").find((s) => s.name.includes("historical"))!;
        assert.equal(at(sts.inputs, "spec", "volumeClaimTemplates", 0, "spec", "resources", "requests", "storage"), "0.54T");
    });

    it("a volumeMounts[].mountPath from another resource's output reaches the Druid container", async () => {
        const plan = await build({ ...defaultArgs(), query: { broker: { volumes: [{ name: "extra", emptyDir: {} }], volumeMounts: [{ name: "extra", mountPath: pulumi.output("/mnt/extra") }] } } });
        const broker = plan.ofType("kubernetes:apps/v1:Deployment").find((d) => d.name.includes("broker"))!;
        const mounts = at(broker.inputs, "spec", "template", "spec", "containers", 0, "volumeMounts") as Obj[];
        assert.ok(mounts.some((m) => m.name === "extra" && m.mountPath === "/mnt/extra"), JSON.stringify(mounts));
    });

    it("a Broker given the memory its sizing error names starts (#22 item 11)", async () => {
        const small = { ...defaultArgs(), query: { broker: { resources: { cpu: "16", memory: "2Gi" } } } };
        let need = "";
        try {
            new DruidCluster("druid", small);
        } catch (e) {
            need = /Give it at least (\d+Gi) of memory/.exec((e as Error).message)?.[1] ?? "";
        }
        assert.notEqual(need, "");
        const plan = await build({ ...defaultArgs(), query: { broker: { resources: { cpu: "16", memory: need } } } });
        assert.ok(plan.ofType("kubernetes:apps/v1:Deployment").some((d) => d.name.includes("broker")));
    });
});
