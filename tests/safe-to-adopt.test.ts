import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DruidCluster, DruidClusterArgs } from "../index";
import { DruidArgumentError } from "../components/core/errors";
import {
    checkKubernetesProvider, kubernetesMechanismsSince, kubernetesProviderFloor, kubernetesProviderMechanisms, ProviderEnvironment, versionBelow,
} from "../components/provider-requirements";
import { deleteMarginSeconds } from "../components/k8s/delete-timeout";
import { Plan, planProgram } from "../testing";
import { defaultArgs } from "./fixtures/args";

// Issue #26 items 1-5: what the component must leave alone (a namespace the platform owns), and the
// Kubernetes provider it needs (a version floor, server-side apply, no render-to-directory), refused
// once at construction; and `pulumi destroy` waiting long enough for pods that drain.

type Obj = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);
const config = { "aws:region": "eu-west-1" };
const NS = "kubernetes:core/v1:Namespace";
const repo = path.join(__dirname, "..");

/** Resources `pulumi destroy` would delete for the component: it and everything under it (the engine deletes a stack's resources; the component's are its descendants). */
function ownedByComponent(plan: Plan, componentName: string) {
    const root = plan.resources.find((r) => r.type === "druid:index:DruidCluster" && r.name === componentName)!;
    const owned = new Set<string>([root.urn]);
    let grew = true;
    while (grew) {
        grew = false;
        for (const r of plan.resources) if (!owned.has(r.urn) && owned.has(r.parent)) { owned.add(r.urn); grew = true; }
    }
    return plan.resources.filter((r) => owned.has(r.urn));
}

/** Runs a program whose failure arrives as an unhandled rejection (the SDK's way for a resource whose inputs or dependencies fail; the engine reports each distinct error once, @pulumi/pulumi cmd/run/run.js uncaughtHandler). */
async function planCollectingRejections(program: () => unknown): Promise<{ plan: Plan; errors: unknown[] }> {
    const rejected: unknown[] = [];
    const record = (e: unknown) => { rejected.push(e); };
    process.on("unhandledRejection", record);
    try {
        const { plan } = await planProgram(program, { preview: true, config });
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { plan, errors: [...new Set(rejected)] };
    } finally {
        process.off("unhandledRejection", record);
    }
}

describe("safe to adopt: the namespace", function () {
    this.timeout(60000);

    it("a plain namespace is used, never registered: no Namespace of the component, every object in it", async () => {
        const { plan } = await planProgram(() => new DruidCluster("druid", { ...defaultArgs(), namespace: "analytics" }), { preview: false, config });
        assert.deepEqual(plan.ofType(NS).map((r) => r.name), []);
        const namespaced = ownedByComponent(plan, "druid").filter((r) => r.type.startsWith("kubernetes:") && at(r.inputs, "metadata", "namespace") !== undefined);
        assert.ok(namespaced.length > 30, `expected the cluster's namespaced objects, got ${namespaced.length}`);
        for (const r of namespaced) assert.equal(at(r.inputs, "metadata", "namespace"), "analytics", `${r.type} ${r.name}`);
    });

    it("the platform's Namespace (another resource's output) is never registered again, and destroy would not touch it", async () => {
        const { plan } = await planProgram(() => {
            const platform = new k8s.core.v1.Namespace("platform-analytics", { metadata: { name: "analytics" } });
            return new DruidCluster("druid", { ...defaultArgs(), namespace: platform.metadata.name });
        }, { preview: false, config });
        // One Namespace in the whole program: the platform's, outside the component.
        const namespaces = plan.ofType(NS);
        assert.deepEqual(namespaces.map((r) => r.name), ["platform-analytics"]);
        const platformUrn = namespaces[0].urn;
        const owned = ownedByComponent(plan, "druid");
        assert.ok(owned.length > 40);
        assert.ok(!owned.some((r) => r.urn === platformUrn), "the platform's Namespace is not the component's child");
        assert.ok(!owned.some((r) => r.type === NS), "the component registers no Namespace");
        assert.ok(!owned.some((r) => r.type === "kubernetes:core/v1:NamespacePatch"), "nor patches one");
        // `pulumi destroy` of the component's resources deletes nothing named "analytics" at the cluster scope;
        // its objects only live in it (they depend on the platform's Namespace, which is deleted after them, by its owner).
        const clusterScoped = owned.filter((r) => r.type.startsWith("kubernetes:") && r.custom && at(r.inputs, "metadata", "namespace") === undefined
            && at(r.inputs, "metadata", "name") === "analytics");
        assert.deepEqual(clusterScoped.map((r) => r.type), []);
        const inNamespace = owned.filter((r) => at(r.inputs, "metadata", "namespace") === "analytics");
        assert.ok(inNamespace.length > 30);
        assert.ok(inNamespace.some((r) => r.dependencies.includes(platformUrn)), "objects wait for the platform's Namespace (created first, deleted last)");
    });

    it("createNamespace: true with a named namespace creates and owns it; no namespace at all creates the cluster's own", async () => {
        const asked = await planProgram(() => new DruidCluster("druid", { ...defaultArgs(), namespace: "analytics", createNamespace: true }), { preview: false, config });
        assert.equal(at(asked.plan.get(NS, "druid").inputs, "metadata", "name"), "analytics");
        const own = await planProgram(() => new DruidCluster("druid", defaultArgs()), { preview: false, config });
        assert.equal(at(own.plan.get(NS, "druid").inputs, "metadata", "name"), "druid");
        assert.equal(at(own.plan.get(NS, "druid").inputs, "metadata", "labels", "pod-security.kubernetes.io/enforce"), "restricted");
    });
});

describe("safe to adopt: handing an owned namespace over (the CHANGELOG's upgrade path)", function () {
    this.timeout(60000);

    it("createNamespace: true with the CHANGELOG's transformation keeps the Namespace on delete; then without both, the component has none", async () => {
        const retain: pulumi.ResourceTransformation = (a) => a.type === "kubernetes:core/v1:Namespace" ? { props: a.props, opts: { ...a.opts, retainOnDelete: true } } : undefined;
        const step1 = await planProgram(() => new DruidCluster("druid", { ...defaultArgs(), namespace: "analytics", createNamespace: true }, { transformations: [retain] }), { preview: true, config });
        const ns = step1.plan.get(NS, "druid");
        assert.equal(ns.retainOnDelete, true);
        assert.equal(at(ns.inputs, "metadata", "name"), "analytics");
        // The other objects keep their own retainOnDelete (the transformation matches the Namespace only).
        assert.ok(step1.plan.ofType("kubernetes:apps/v1:StatefulSet").every((r) => !r.retainOnDelete));
        const step2 = await planProgram(() => new DruidCluster("druid", { ...defaultArgs(), namespace: "analytics" }), { preview: true, config });
        assert.deepEqual(step2.plan.ofType(NS), []);
    });
});

describe("safe to adopt: the Kubernetes provider", function () {
    this.timeout(60000);

    const environment = (over: Partial<ProviderEnvironment> = {}): ProviderEnvironment => ({ sdkVersion: "4.34.2", config: () => undefined, env: {}, ...over });

    it("the floor is the newest mechanism's release, and package.json, the consumer test, the README and docs/operations.md say the same", () => {
        const newest = kubernetesProviderMechanisms.map((m) => m.since).reduce((a, b) => (versionBelow(a, b) ? b : a));
        assert.equal(newest, "4.9.0");
        assert.equal(kubernetesMechanismsSince, newest);
        // The peer floor is the first release at or above it the consumer test could install (its registry has no 4.9.0).
        assert.equal(kubernetesProviderFloor, "4.9.1");
        assert.ok(!versionBelow(kubernetesProviderFloor, newest));
        const pkg = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as { peerDependencies: Record<string, string> };
        // scripts/consumer-test.ts installs the floor of each ^x.y.z peer range.
        assert.equal(pkg.peerDependencies["@pulumi/kubernetes"], `^${kubernetesProviderFloor}`);
        const operations = fs.readFileSync(path.join(repo, "docs", "operations.md"), "utf8");
        const start = operations.indexOf("### Kubernetes provider requirements");
        assert.ok(start >= 0, "docs/operations.md has the section");
        const section = operations.slice(start);
        for (const m of kubernetesProviderMechanisms) {
            assert.ok(section.includes(`| ${m.use} | ${m.since} |`), `docs/operations.md table row for: ${m.use}`);
        }
        const floor = new RegExp(`\`@pulumi/kubernetes\` (must be )?${kubernetesProviderFloor.replace(/\./g, "\\.")}`);
        assert.match(section, floor);
        // The README's install line names the same floor.
        assert.match(fs.readFileSync(path.join(repo, "README.md"), "utf8"), floor);
    });

    for (const [version, refused] of [["4.1.1", true], ["v4.2.0", true], ["4.8.1", true], ["4.9.0", false], ["v4.34.2", false]] as const) {
        it(`SDK ${version} is ${refused ? "refused, naming what it lacks" : "accepted"}`, () => {
            const run = () => checkKubernetesProvider(undefined, environment({ sdkVersion: version }));
            if (!refused) { assert.deepEqual(run(), []); return; }
            assert.throws(run, (e: unknown) => e instanceof DruidArgumentError
                && e.argument === "Kubernetes provider (@pulumi/kubernetes)"
                && /needs @pulumi\/kubernetes 4\.9\.1 or later/.test(e.message)
                && /ignored parent path .* \(since 4\.9\.0\)/.test(e.message)
                && (version === "4.8.1" || /handleSSAIgnoreFields\).*\(since 4\.3\.0\)/.test(e.message)));
        });
    }

    it("the installed SDK passes (the component's own dev dependency is above the floor)", () => {
        assert.doesNotThrow(() => new DruidCluster("druid-sdk", defaultArgs()));
    });

    for (const [what, env, argument] of [
        ["stack configuration kubernetes:enableServerSideApply false", environment({ config: (k) => (k === "enableServerSideApply" ? "false" : undefined) }), "kubernetes:enableServerSideApply (stack configuration)"],
        ["PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY=false", environment({ env: { PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY: "false" } }), "PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY (environment of the default Kubernetes provider)"],
        // The provider reads only "true" as true (provider.go:517-522).
        ["PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY=0", environment({ env: { PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY: "0" } }), "PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY (environment of the default Kubernetes provider)"],
    ] as const) {
        it(`default provider, client-side apply by ${what}: refused with one error`, () => {
            assert.throws(() => checkKubernetesProvider(undefined, env), (e: unknown) => e instanceof DruidArgumentError && e.argument === argument
                && /need server-side apply: in client-side apply mode the Kubernetes provider refuses every Patch resource/.test(e.message)
                && /remove the setting or set it to "true"/.test(e.message));
        });
    }

    it("default provider: the stack's true wins over the environment's false (the provider's precedence), and nothing set is server-side apply", () => {
        assert.deepEqual(checkKubernetesProvider(undefined, environment({ config: (k) => (k === "enableServerSideApply" ? "true" : undefined), env: { PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY: "false" } })), []);
        assert.deepEqual(checkKubernetesProvider(undefined, environment()), []);
    });

    it("default provider with kubernetes:renderYamlToDirectory: refused, naming the setting and what to do", () => {
        assert.throws(() => checkKubernetesProvider(undefined, environment({ config: (k) => (k === "renderYamlToDirectory" ? "manifests" : undefined) })),
            (e: unknown) => e instanceof DruidArgumentError && e.argument === "kubernetes:renderYamlToDirectory (stack configuration)"
                && /got "manifests"/.test(e.message) && /a patch overwrites the file of the Deployment or StatefulSet/.test(e.message) && /pulumi-druid render/.test(e.message));
    });

    it("the component refuses the environment's client-side apply before registering anything", async () => {
        const saved = process.env.PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY;
        process.env.PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY = "false";
        try {
            let thrown: unknown;
            const { plan } = await planProgram(() => {
                try { new DruidCluster("druid", defaultArgs()); } catch (e) { thrown = e; }
            }, { preview: true, config });
            assert.ok(thrown instanceof DruidArgumentError && /PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY/.test(thrown.message), String(thrown));
            assert.equal(plan.resources.length, 0);
        } finally {
            if (saved === undefined) delete process.env.PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY; else process.env.PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY = saved;
        }
    });

    it("the component refuses the stack's kubernetes:renderYamlToDirectory before registering anything", async () => {
        let thrown: unknown;
        const { plan } = await planProgram(() => {
            pulumi.runtime.setConfig("kubernetes:renderYamlToDirectory", "manifests");
            try { new DruidCluster("druid", defaultArgs()); } catch (e) { thrown = e; } finally { pulumi.runtime.setAllConfig({}); }
        }, { preview: true, config });
        assert.ok(thrown instanceof DruidArgumentError && /kubernetes:renderYamlToDirectory/.test(thrown.message), String(thrown));
        assert.equal(plan.resources.length, 0);
    });

    const explicit: [string, k8s.ProviderArgs, RegExp | undefined][] = [
        ["enableServerSideApply: false", { enableServerSideApply: false }, /invalid enableServerSideApply of the Kubernetes provider passed in providers: got "false"; .*create the provider with enableServerSideApply: true/],
        ["renderYamlToDirectory", { renderYamlToDirectory: "manifests" }, /invalid renderYamlToDirectory of the Kubernetes provider passed in providers: got "manifests"/],
        ["enableServerSideApply: true", { enableServerSideApply: true }, undefined],
        ["no settings", {}, undefined],
    ];
    for (const [what, providerArgs, refusal] of explicit) {
        it(`an explicit provider with ${what}: ${refusal ? "one error, and no Kubernetes resource reaches the provider" : "deploys, patches included"}`, async () => {
            const args: DruidClusterArgs = defaultArgs();
            const { plan, errors } = await planCollectingRejections(() => {
                const provider = new k8s.Provider("k8s", providerArgs);
                return new DruidCluster("druid", args, { providers: { kubernetes: provider } });
            });
            const kubernetes = plan.resources.filter((r) => r.type.startsWith("kubernetes:"));
            const patches = kubernetes.filter((r) => r.type.endsWith("Patch"));
            if (refusal === undefined) {
                assert.deepEqual(errors, []);
                assert.ok(patches.length >= 11, `${patches.length} patches`);
                // The check adds no dependency between the component's objects and anything else.
                assert.ok(kubernetes.every((r) => r.dependencies.every((d) => !d.includes("pulumi:providers:kubernetes"))));
                return;
            }
            assert.equal(errors.length, 1, errors.map(String).join("\n"));
            const error = errors[0];
            assert.ok(error instanceof DruidArgumentError, String(error));
            assert.match(error.message, refusal);
            assert.deepEqual(kubernetes.map((r) => `${r.type} ${r.name}`), []);
        });
    }

    it("an explicit provider named by `provider` or inherited from the parent is checked too", async () => {
        for (const place of ["provider", "parent"] as const) {
            const { errors } = await planCollectingRejections(() => {
                const provider = new k8s.Provider("k8s", { enableServerSideApply: false });
                if (place === "provider") return new DruidCluster("druid", defaultArgs(), { provider });
                const parent = new pulumi.ComponentResource("platform:index:Stack", "platform", {}, { providers: [provider] });
                return new DruidCluster("druid", defaultArgs(), { parent });
            });
            assert.equal(errors.length, 1, `${place}: ${errors.map(String).join("\n")}`);
            assert.match(String(errors[0]), /enableServerSideApply of the Kubernetes provider/);
        }
    });
});

describe("safe to adopt: destroy waits for pods to stop", function () {
    this.timeout(60000);

    const minutes = (t: string): number => {
        const m = /^(\d+)m$/.exec(t);
        assert.ok(m, `a timeout in minutes, got "${t}"`);
        return Number(m[1]);
    };

    for (const [what, args] of [
        ["MiddleManagers (drain 900 s + 330 s), the default cluster", (): DruidClusterArgs => defaultArgs()],
        ["Indexers draining an hour, 5 replicas", (): DruidClusterArgs => ({ ...defaultArgs(), data: { ingestion: { worker: "indexer", replicas: 5, drainTimeoutSeconds: 3600 } } })],
    ] as const) {
        it(`${what}: every workload's delete timeout covers its pods' grace period, and the provider's 10 minutes at least`, async () => {
            const { plan } = await planProgram(() => new DruidCluster("druid", args()), { preview: true, config });
            const workloads = [...plan.ofType("kubernetes:apps/v1:StatefulSet"), ...plan.ofType("kubernetes:apps/v1:Deployment")];
            assert.ok(workloads.length >= 6);
            for (const w of workloads) {
                const grace = at(w.inputs, "spec", "template", "spec", "terminationGracePeriodSeconds") as number | undefined ?? 30;
                const timeout = minutes(w.customTimeouts.delete);
                // Pods stop in parallel under foreground deletion (delete-timeout.ts): one grace period, not replicas x grace.
                assert.ok(timeout * 60 >= grace + deleteMarginSeconds, `${w.name}: delete ${w.customTimeouts.delete} < grace ${grace} s + ${deleteMarginSeconds} s`);
                assert.ok(timeout >= 10, w.name);
            }
            const worker = workloads.find((w) => /middlemanager|indexer/.test(w.name))!;
            const grace = at(worker.inputs, "spec", "template", "spec", "terminationGracePeriodSeconds") as number;
            assert.ok(grace > 600, `the worker's grace (${grace} s) is beyond the provider's default 10 minutes`);
            assert.equal(minutes(worker.customTimeouts.delete), Math.ceil((grace + deleteMarginSeconds) / 60));
        });
    }
});
