// Plugin start to first Construct, as the engine sees it: starts the `druid` plugin the way the
// Node.js language host runs a source plugin (`node @pulumi/pulumi/cmd/run-plugin <plugin> <engine
// address>`, which prints the port of its gRPC ResourceProvider server), then makes the calls a
// YAML program's `pulumi up` makes: GetPluginInfo, GetSchema, Construct of a default
// DruidCluster. The engine and the resource monitor it hands over are stood in for by one gRPC
// server here: Log and GetRootResource, and a monitor that answers every RegisterResource with the
// inputs it was given and no id (a preview).
//
//   node dist-bench/scripts/plugin-start.js [committed|inferred]   one start; prints a JSON line of milestones (ms since spawn)
//
// `committed` runs package.json `main` (dist/provider.js: the committed schema.json); `inferred`
// runs the SDK's componentProviderHost over the same compiled component (what the plugin did up
// to 0.1.0: the analyzer infers the schema at every start). Both need `npm run build` first.
// scripts/bench.ts runs this several times per variant and prints medians.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as resrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";

/** Where the package root is, from scripts/ (ts-node) or dist-bench/scripts/ (compiled). */
const repo = [path.join(__dirname, ".."), path.join(__dirname, "..", "..")].find((d) => fs.existsSync(path.join(d, "PulumiPlugin.yaml")))!;

export interface PluginStart {
    variant: string;
    /** ms from spawn until the plugin printed its port. */
    listening: number;
    /** ... until GetSchema answered, and its size. */
    schema: number;
    schemaBytes: number;
    /** ... until the Construct of a default cluster answered, and how many resources it registered. */
    construct: number;
    registered: number;
}

type Callback = (err: Error | null, resp?: unknown) => void;
type Call<T = unknown> = { request: T };

/** The engine's Engine and ResourceMonitor services, as far as a Construct uses them. */
function fakeEngine(): { server: grpc.Server; registered: () => number } {
    let count = 0;
    const server = new grpc.Server();
    server.addService(enginerpc.EngineService, {
        log: (_: Call, cb: Callback) => cb(null, new emptyproto.Empty()),
        getRootResource: (_: Call, cb: Callback) => cb(null, new engineproto.GetRootResourceResponse()),
        setRootResource: (_: Call, cb: Callback) => cb(null, new engineproto.SetRootResourceResponse()),
    });
    const F = resproto.ResourceMonitorFeature;
    server.addService(resrpc.ResourceMonitorService, {
        getDeploymentInfo: (_: Call, cb: Callback) => {
            const info = new resproto.DeploymentInfo();
            info.setSupportedfeaturesList([F.RESOURCE_MONITOR_FEATURE_SECRETS, F.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES, F.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
                F.RESOURCE_MONITOR_FEATURE_DELETED_WITH, F.RESOURCE_MONITOR_FEATURE_TRANSFORMS]);
            cb(null, info);
        },
        supportsFeature: (call: Call<resproto.SupportsFeatureRequest>, cb: Callback) => {
            const resp = new resproto.SupportsFeatureResponse();
            resp.setHassupport(call.request.getId() !== "outputValues");
            cb(null, resp);
        },
        registerResource: (call: Call<resproto.RegisterResourceRequest>, cb: Callback) => {
            count++;
            const req = call.request;
            const parent = req.getParent();
            const type = parent ? `${parent.split("::")[2]}$${req.getType()}` : req.getType();
            const resp = new resproto.RegisterResourceResponse();
            resp.setUrn(`urn:pulumi:bench::bench::${type}::${req.getName()}`);
            resp.setId("");
            resp.setObject(req.getObject() ?? new structproto.Struct());
            cb(null, resp);
        },
        registerResourceOutputs: (_: Call, cb: Callback) => cb(null, new emptyproto.Empty()),
        invoke: (call: Call<resproto.ResourceInvokeRequest>, cb: Callback) => {
            // aws.getPartition / getRegion, as tests/../testing/mocks.ts answers them.
            const values: Record<string, unknown> = call.request.getTok() === "aws:index/getPartition:getPartition"
                ? { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" } : { region: "eu-west-1", name: "eu-west-1", id: "eu-west-1" };
            const resp = new resproto.ResourceInvokeResponse();
            resp.setReturn(structproto.Struct.fromJavaScript(values as Record<string, structproto.JavaScriptValue>));
            cb(null, resp);
        },
        registerPackage: (_: Call, cb: Callback) => {
            const resp = new resproto.RegisterPackageResponse();
            resp.setRef("bench-package");
            cb(null, resp);
        },
    });
    return { server, registered: () => count };
}

/** The program run-plugin loads for a variant. */
function pluginProgram(variant: string): string {
    if (variant === "committed") return repo;
    if (variant !== "inferred") throw new Error(`unknown variant ${variant}: committed or inferred`);
    const file = path.join(os.tmpdir(), `druid-plugin-inferred-${process.pid}.js`);
    fs.writeFileSync(file, [
        `const { componentProviderHost } = require(${JSON.stringify(require.resolve("@pulumi/pulumi/provider/experimental", { paths: [repo] }))});`,
        `const { DruidCluster } = require(${JSON.stringify(path.join(repo, "dist", "components", "druid-cluster.js"))});`,
        `void componentProviderHost({ name: "druid", components: [DruidCluster], dirname: ${JSON.stringify(repo)} });`,
    ].join("\n"));
    return file;
}

/** A unary call on the generated client, as a promise. */
function unary<Req, Resp>(call: (req: Req, cb: (err: grpc.ServiceError | null, resp: Resp) => void) => unknown, req: Req): Promise<Resp> {
    return new Promise((resolve, reject) => { call(req, (err, resp) => (err ? reject(err) : resolve(resp))); });
}

export async function pluginStart(variant: string): Promise<PluginStart> {
    const { server, registered } = fakeEngine();
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
    const address = `127.0.0.1:${port}`;
    const program = pluginProgram(variant);
    const runPlugin = require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [repo] });
    const t0 = performance.now();
    const child = spawn(process.execPath, [runPlugin, program, address], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
    try {
        const pluginPort = await new Promise<string>((resolve, reject) => {
            let out = "";
            child.stdout.on("data", (d: Buffer) => {
                out += d.toString();
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) resolve(m[1]);
            });
            child.on("exit", (code) => reject(new Error(`plugin exited with ${code} before listening:\n${stderr}`)));
        });
        const listening = performance.now() - t0;
        const client = new provrpc.ResourceProviderClient(`127.0.0.1:${pluginPort}`, grpc.credentials.createInsecure());
        await unary<emptyproto.Empty, unknown>((r, cb) => client.getPluginInfo(r, cb), new emptyproto.Empty());
        const schemaResp = await unary<provproto.GetSchemaRequest, provproto.GetSchemaResponse>((r, cb) => client.getSchema(r, cb), new provproto.GetSchemaRequest());
        const schema = performance.now() - t0;

        const req = new provproto.ConstructRequest();
        req.setProject("bench");
        req.setStack("bench");
        req.setDryrun(true);
        req.setParallel(16);
        req.setMonitorendpoint(address);
        req.setType("druid:index:DruidCluster");
        req.setName("druid");
        req.getConfigMap().set("aws:region", "eu-west-1");
        req.setInputs(structproto.Struct.fromJavaScript({
            deepStorage: { oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE", oidcProviderUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE" },
            metadataStore: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-aaaa", "subnet-bbbb"], allowedSecurityGroupIds: ["sg-0nodes"] },
        }));
        const resp = await unary<provproto.ConstructRequest, provproto.ConstructResponse>((r, cb) => client.construct(r, cb), req);
        const construct = performance.now() - t0;
        if (!resp.getUrn().endsWith("::druid")) throw new Error(`unexpected Construct response ${resp.getUrn()}`);
        client.close();
        return { variant, listening, schema, schemaBytes: schemaResp.getSchema().length, construct, registered: registered() };
    } finally {
        child.kill();
        server.forceShutdown();
        if (program !== repo) fs.rmSync(program, { force: true });
    }
}

if (require.main === module) {
    pluginStart(process.argv[2] ?? "committed").then((r) => {
        process.stdout.write(JSON.stringify(r) + "\n");
        process.exit(0);
    }, (e: unknown) => {
        console.error(e);
        process.exit(1);
    });
}
