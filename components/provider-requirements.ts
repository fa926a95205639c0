import * as pulumi from "@pulumi/pulumi";
import { DruidArgumentError } from "./core/errors";

// What the component needs of the Kubernetes provider, and the check that refuses a provider
// that cannot deploy it, once, at construction, instead of one failure per resource.
//
// Every mechanism below was read in pulumi/pulumi-kubernetes at the tag named (CHANGELOG.md and the
// provider source); the floor is the first release that has all of them. docs/operations.md's table
// ("Kubernetes provider requirements") is this list; tests/safe-to-adopt.test.ts keeps the two,
// package.json's peer range and the consumer test's floor equal.

/** One provider mechanism the component relies on, and the first release that has it. */
export interface ProviderMechanism {
    /** What the component does with it. */
    use: string;
    /** First @pulumi/kubernetes release with the mechanism. */
    since: string;
    /** Where it is: pulumi/pulumi-kubernetes@<tag>:<path>, and the pull request. */
    source: string;
}

export const kubernetesProviderMechanisms: readonly ProviderMechanism[] = [
    {
        use: "Patch resources (DeploymentPatch, StatefulSetPatch, PersistentVolumeClaimPatch, ConfigMapPatch) applied with server-side apply",
        since: "3.20.0",
        source: "CHANGELOG.md 3.20.0: \"Implement Server-Side Apply mode\" (#2029), \"Add Patch resources to all SDKs\" (#2043, #2068)",
    },
    {
        use: "the data-management, access and zone-wave Jobs are awaited until they complete (or fail `pulumi up` with their pods' errors)",
        since: "1.2.0",
        source: "CHANGELOG.md 1.2.0: \"Add logic to check for Job readiness\" (#633)",
    },
    {
        use: "customTimeouts.delete sets how long a deletion is awaited",
        since: "1.1.0",
        source: "CHANGELOG.md 1.1.0: \"Implement customTimeout for resource deletion\" (#802); v4.9.0:provider/pkg/await/awaiters.go:311,354 (default 600 s for Deployments and StatefulSets)",
    },
    {
        use: "a changed Patch resource is updated in place, not replaced (the replica count, a claim's size)",
        since: "3.29.0",
        source: "CHANGELOG.md 3.29.0: \"Update Patch resources rather than replacing\" (#2429)",
    },
    {
        use: "`pulumi destroy` deletes a workload with foreground propagation and waits for its pods (customTimeouts.delete bounds the wait)",
        since: "3.27.0",
        source: "CHANGELOG.md 3.27.0 (#2379); v4.9.0:provider/pkg/await/await.go:873-879 deleteResource (DeletePropagationForeground)",
    },
    {
        use: "server-side apply is the default mode",
        since: "4.0.0",
        source: "CHANGELOG.md 4.0.0: \"Enable Server-side Apply by default\" (#2398); v4.9.0:provider/pkg/provider/provider.go:515-529",
    },
    {
        use: "a workload's `ignoreChanges: [\"spec.replicas\"]` leaves out of its apply the field the replica patch owns (handleSSAIgnoreFields), so an update never conflicts with, or resets, the count",
        since: "4.3.0",
        source: "CHANGELOG.md 4.3.0 (#2566); v4.3.0:provider/pkg/await/await.go:475,537 handleSSAIgnoreFields (absent at v4.2.0)",
    },
    {
        use: "updating a replica patch does not take over fields `kubectl` wrote (e.g. `kubectl rollout restart`'s annotation) and unset them",
        since: "4.5.2",
        source: "CHANGELOG.md 4.5.2: \"Do not patch field managers for Patch resources\" (#2640); v4.5.2:provider/pkg/await/await.go:621 fixCSAFieldManagers skips Patch types",
    },
    {
        use: "an ignored parent path (`data` of the volume record ConfigMap, `spec.volumeClaimTemplates`) is left to the manager that owns its children (the record's ConfigMapPatch), without sharing them",
        since: "4.9.0",
        source: "CHANGELOG.md 4.9.0 (#2828, fixes #2714); v4.9.0:provider/pkg/await/await.go:586-588,654-663 ensureFieldsAreMembers",
    },
];

/** The release that brought the newest mechanism above: an SDK below it is refused. */
export const kubernetesMechanismsSince = kubernetesProviderMechanisms.map((m) => m.since).reduce((a, b) => (versionBelow(a, b) ? b : a));

/**
 * package.json's peer floor: the first release at or above {@link kubernetesMechanismsSince} that
 * the consumer test (scripts/consumer-test.ts) could install and prove: the registry it ran against
 * answers 404 for 4.9.0 (`npm view @pulumi/kubernetes@4.9.0`) and lists 4.8.1, then 4.9.1; 4.9.1
 * holds #2828, #2640 and #2566 (`git merge-base --is-ancestor <commit> v4.9.1` in pulumi/pulumi-kubernetes).
 */
export const kubernetesProviderFloor = "4.9.1";

/** What the check reads: the installed SDK, the default provider's stack configuration, the environment. */
export interface ProviderEnvironment {
    /** Version of the @pulumi/kubernetes SDK the component's resources are created with ("4.34.2"; its package.json writes "v4.1.1" in some releases). */
    sdkVersion: string;
    /** Stack configuration of the `kubernetes` namespace (what the default provider reads), e.g. `config("enableServerSideApply")`. */
    config: (key: string) => string | undefined;
    /** Environment variables of the program (the engine starts the provider plugin with the same environment). */
    env: Record<string, string | undefined>;
}

/** The real environment of the running program. */
export function currentProviderEnvironment(): ProviderEnvironment {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require("@pulumi/kubernetes/package.json") as { version: string };
    const config = new pulumi.Config("kubernetes");
    return { sdkVersion: pkg.version, config: (key) => config.get(key), env: process.env };
}

const ssaEnv = "PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY";

const clientSideApply =
    "the component's replica, claim and volume-record patches (DeploymentPatch, StatefulSetPatch, PersistentVolumeClaimPatch, ConfigMapPatch) need " +
    "server-side apply: in client-side apply mode the Kubernetes provider refuses every Patch resource (\"patch resources require Server-Side Apply mode\", " +
    "pulumi/pulumi-kubernetes@v4.9.0:provider/pkg/provider/provider.go:1296-1299); ";

const renderToDirectory =
    "the provider's render mode writes each object to <apiVersion>-<kind>-<namespace>-<name>.yaml (pulumi/pulumi-kubernetes@v4.9.0:provider/pkg/provider/provider.go:3298), " +
    "so a patch overwrites the file of the Deployment or StatefulSet it patches with a {metadata, spec: {replicas}} fragment; " +
    "render the cluster with `pulumi-druid render` (README, \"The offline render\") or deploy it with a provider that applies to a cluster";

/** Parses "4.9.0" or "v4.9.0-alpha.1" into [4, 9, 0]. */
function versionParts(version: string): [number, number, number] | undefined {
    const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Whether `version` is below `floor` (both x.y.z). */
export function versionBelow(version: string, floor: string): boolean {
    const v = versionParts(version);
    const f = versionParts(floor)!;
    if (v === undefined) return false;
    for (let i = 0; i < 3; i++) if (v[i] !== f[i]) return v[i] < f[i];
    return false;
}

/** The provider's own reading of a boolean setting: only "true" is true (v4.9.0:provider/pkg/provider/provider.go:517-522). */
function serverSideApplyFrom(setting: string | undefined, env: ProviderEnvironment["env"]): { on: boolean; from: string; value: string } {
    if (setting !== undefined) return { on: setting === "true", from: "", value: setting };
    const fromEnv = env[ssaEnv];
    if (fromEnv !== undefined) return { on: fromEnv === "true", from: ssaEnv, value: fromEnv };
    return { on: true, from: "", value: "" };
}

/** The explicit Kubernetes provider the component's children will use, when the options name one (as the SDK picks it: provider, providers, the parent's). */
export function explicitKubernetesProvider(opts: pulumi.ComponentResourceOptions | undefined): pulumi.ProviderResource | undefined {
    const isKubernetes = (p: unknown): p is pulumi.ProviderResource => {
        const pkg = (p as { getPackage?: () => string } | undefined)?.getPackage?.();
        return pkg === "kubernetes";
    };
    if (isKubernetes(opts?.provider)) return opts.provider;
    const providers = opts?.providers === undefined ? [] : Array.isArray(opts.providers) ? opts.providers : Object.values(opts.providers);
    const listed = providers.find(isKubernetes);
    if (listed !== undefined) return listed;
    return opts?.parent?.getProvider("kubernetes:core/v1:Namespace");
}

/**
 * Refuses, with one DruidArgumentError, a Kubernetes provider that cannot deploy the component:
 * an SDK below the floor, client-side apply or renderYamlToDirectory on the default provider
 * (stack configuration `kubernetes:*`, the environment). Throws at once when that is known now.
 *
 * An explicit provider's settings are its inputs, which a program cannot read, but the engine
 * answers a provider's registration with its checked configuration as outputs (pulumi/pulumi
 * pkg/resource/deploy/providers/registry.go, Registry.Create returns `Properties: filteredProperties`,
 * in preview too) and the SDK exposes each input as an Output on the resource (@pulumi/pulumi
 * runtime/rpc.js transferProperties). Those are checked when they resolve: the returned
 * transformation makes every Kubernetes resource of the component wait for the check, so a
 * refused provider fails the program with the one error and no resource reaches the provider.
 * Over Construct an explicit provider arrives as a bare reference (no settings, @pulumi/pulumi
 * provider/server.js): only the SDK floor is checked then; without one, the stack configuration
 * Construct receives (configureRuntime sets it) and the environment are checked as above.
 */
export function checkKubernetesProvider(opts: pulumi.ComponentResourceOptions | undefined, environment: ProviderEnvironment = currentProviderEnvironment()):
    pulumi.ResourceTransformation[] {
    if (versionBelow(environment.sdkVersion, kubernetesMechanismsSince)) {
        throw new DruidArgumentError("Kubernetes provider (@pulumi/kubernetes)", environment.sdkVersion,
            `the component needs @pulumi/kubernetes ${kubernetesProviderFloor} or later (its peer dependency): below it ` +
            `${kubernetesProviderMechanisms.filter((m) => versionBelow(environment.sdkVersion, m.since)).map((m) => `${m.use} (since ${m.since})`).join("; ")}; ` +
            `install a later one (npm install @pulumi/kubernetes@^${kubernetesProviderFloor})`);
    }
    const explicit = explicitKubernetesProvider(opts);
    if (explicit === undefined) {
        const ssa = serverSideApplyFrom(environment.config("enableServerSideApply"), environment.env);
        if (!ssa.on) {
            throw new DruidArgumentError(ssa.from === ssaEnv ? `${ssaEnv} (environment of the default Kubernetes provider)` : "kubernetes:enableServerSideApply (stack configuration)",
                ssa.value, `${clientSideApply}remove the setting or set it to "true"`);
        }
        const render = environment.config("renderYamlToDirectory");
        if (render !== undefined && render !== "") {
            throw new DruidArgumentError("kubernetes:renderYamlToDirectory (stack configuration)", render, renderToDirectory);
        }
        return [];
    }
    const settings = explicit as unknown as { enableServerSideApply?: unknown; renderYamlToDirectory?: unknown };
    if (!pulumi.Output.isInstance(settings.enableServerSideApply) && !pulumi.Output.isInstance(settings.renderYamlToDirectory)) return [];
    const gate = pulumi.output(providerCheck(settings.enableServerSideApply, settings.renderYamlToDirectory, environment.env)).apply(() => [] as pulumi.Resource[]);
    return [(args) => {
        if (!args.type.startsWith("kubernetes:")) return undefined;
        const dependsOn = [gate, args.opts.dependsOn] as unknown as pulumi.Input<pulumi.Input<pulumi.Resource>[]>;
        return { props: args.props, opts: { ...args.opts, dependsOn } };
    }];
}

/** A known value of an Output, or undefined while it is unknown (preview): the SDK's own members of every Output. */
async function known(value: unknown): Promise<{ known: boolean; value: unknown }> {
    if (!pulumi.Output.isInstance(value)) return { known: true, value: undefined };
    const o = value as unknown as { isKnown: Promise<boolean>; promise(): Promise<unknown> };
    return (await o.isKnown) ? { known: true, value: await o.promise() } : { known: false, value: undefined };
}

/** Resolves when the explicit provider's settings allow the component; rejects with the DruidArgumentError otherwise. */
async function providerCheck(enableServerSideApply: unknown, renderYamlToDirectory: unknown, env: ProviderEnvironment["env"]): Promise<boolean> {
    const [ssa, render] = await Promise.all([known(enableServerSideApply), known(renderYamlToDirectory)]);
    if (ssa.known) {
        // The SDK sends the argument as JSON ("true"/"false"); without it the provider reads the environment.
        const setting = typeof ssa.value === "string" ? ssa.value : typeof ssa.value === "boolean" ? String(ssa.value) : undefined;
        const mode = serverSideApplyFrom(setting, env);
        if (!mode.on) {
            throw new DruidArgumentError(mode.from === ssaEnv ? `${ssaEnv} (environment of the Kubernetes provider passed in providers)` : "enableServerSideApply of the Kubernetes provider passed in providers",
                mode.value, `${clientSideApply}create the provider with enableServerSideApply: true (or without the setting)`);
        }
    }
    if (render.known && typeof render.value === "string" && render.value !== "") {
        throw new DruidArgumentError("renderYamlToDirectory of the Kubernetes provider passed in providers", render.value, renderToDirectory);
    }
    return true;
}
