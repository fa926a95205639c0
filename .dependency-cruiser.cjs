// The layers of the package (docs/design.md), imported in one direction only:
//   public args → plan → pure configuration generators → builders (AWS, Kubernetes)
//     → the component → provider / CLI / testing
// A module may import from its own layer or a layer to its left. components/core/ (errors,
// input mapping, quantities, the properties writer) is the foundation every layer may import; it
// imports nothing of the package but itself. `npm run depcruise` (part of `npm test`) checks it.
const args = "^components/args[^/]*\\.ts$";
const core = "^components/core/";
const plan = "^components/plan/";
const config = "^components/config/";
const builders = "^components/(aws|k8s)/";
// The component: DruidCluster and the parts it wires (components/parts/), plus its provider checks.
const component = "^components/(druid-cluster\\.ts|provider-requirements\\.ts|parts/)";
const outside = "^(cli|testing)/|^(index|provider|schema-provider|construct-inputs)\\.ts$";

/** A rule forbidding imports from `from` to `to` (path patterns). */
const upward = (name, from, to, comment) => ({ name, severity: "error", comment, from: { path: from }, to: { path: to } });

module.exports = {
    forbidden: [
        {
            name: "no-circular", severity: "error",
            comment: "An import cycle that runs: the layers (docs/design.md) leave no room for one. Cycles made only of `import type` (erased at compile time; today cluster-plan.ts ↔ the plan types of resolve-customization/resolve-kubernetes-coordination, and validate-druid's ClusterPlan) are allowed.",
            from: {}, to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
        },
        upward("core-imports-only-core", core, `${args}|${plan}|${config}|${builders}|${component}|${outside}`,
            "components/core/ is the foundation every layer imports; it imports no layer."),
        upward("args-import-only-args-and-core", args, `${plan}|${config}|${builders}|${component}|${outside}`,
            "The public args are the first layer: they import only each other and components/core/."),
        upward("plan-not-to-config-builders-component", plan, `${config}|${builders}|${component}|${outside}`,
            "The plan (resolution, validation, every generated name, port and security context) never imports a configuration generator, a builder or the component; move the fact it needs into components/plan/."),
        upward("config-not-to-builders-component", config, `${builders}|${component}|${outside}`,
            "Configuration generators are pure: they may read the plan, never a builder or the component."),
        {
            name: "config-is-pure", severity: "error",
            comment: "Configuration generators import no Pulumi package: they run without a Pulumi runtime.",
            from: { path: config }, to: { path: "^(node_modules/)?@pulumi/|node_modules/@pulumi/" },
        },
        upward("builders-not-to-component", builders, `${component}|${outside}`,
            "Builders (AWS, Kubernetes) may read the plan and the generators, never the component that wires them."),
        upward("component-not-to-outside", component, outside,
            "Nothing in components/ imports the provider, the CLI or testing/."),
        {
            name: "every-component-file-in-a-layer", severity: "error",
            comment: "Each file of components/ belongs to a layer (docs/design.md); a new folder needs a rule here first.",
            from: { path: "^components/", pathNot: `${args}|${core}|${plan}|${config}|${builders}|${component}` },
            to: {},
        },
    ],
    options: {
        doNotFollow: { path: "node_modules" },
        tsPreCompilationDeps: true,
        tsConfig: { fileName: "tsconfig.json" },
        exclude: { path: "^dist/" },
    },
};
