// Plugin entry of the `druid` Pulumi component provider: what makes DruidCluster usable from
// Python, Go, .NET, Java and YAML (after `pulumi package add <this repo>`).
//
// Why this file exists instead of letting the SDK find the component by itself:
//
// * The Node.js language host runs a source plugin as `node .../cmd/run-plugin <plugin dir>`, which
//   `require`s the directory, so Node loads package.json `main` (this file, compiled to
//   dist/provider.js). When that module *exports* ComponentResource classes, run-plugin hosts them
//   under a provider name derived from package.json `name`, "pulumi-druid", which would give the
//   type token `pulumi-druid:index:DruidCluster`. DruidCluster registers itself as
//   `druid:index:DruidCluster`, so the host must be started here with the name "druid", and this
//   module must export nothing (so run-plugin does not start a second host).
// * npm consumers (`import { DruidCluster } from "pulumi-druid"`) do not load this file: they
//   resolve the package through package.json `exports` (index.ts compiled to dist/index.js), while
//   `main` points at this plugin entry for the language host. The SDK's schema analyzer looks at
//   `exports`, then `main` (as .ts), then index.ts, and follows index.ts's re-exports to find
//   DruidCluster and its args interfaces in components/.
//
// Its GetSchema serves the committed schema.json (see schema-provider.ts): the engine starts this
// plugin for every `pulumi up` of a YAML, Python, Go, .NET or Java program, and inferring the
// schema again at each start cost 5-15 s.
import { main } from "@pulumi/pulumi/provider";
import { DruidProvider } from "./schema-provider";

// Serves GetSchema and Construct for `druid:index:DruidCluster` until the engine shuts it down.
void main(DruidProvider.fromPackage(), process.argv.slice(2));
