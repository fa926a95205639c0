// The Pulumi engine, as far as a Construct of the `druid` plugin meets it, over gRPC: the plugin
// is started as the Node.js language host starts a source plugin (`node @pulumi/pulumi/cmd/run-plugin
// <program> <engine address>`, which prints the port of its ResourceProvider server; see
// scripts/plugin-start.ts), and one gRPC server here stands in for the engine (Log,
// GetRootResource) and the resource monitor the plugin registers the component's children with.
// The monitor answers as testing/mocks.ts's cloudMocks do (preview: unknown ids and generated
// values; update: deterministic fakes) and records every RegisterResource request as sent, secret
// markers included.
//
// The inputs are written as the engine marshals them for Construct (pulumi/pulumi
// sdk/go/common/resource/plugin/rpc.go MarshalPropertyValue with KeepSecrets, KeepUnknowns and
// KeepOutputValues, since the SDK's provider server answers Configure with acceptOutputs:
// @pulumi/pulumi provider/server.js configure): a secret as `{sig: secret, value}`, an unknown as
// the unknown sentinel, a value with dependencies as an output value `{sig: output, value?, secret?,
// dependencies}` (the signatures are the SDK's runtime/rpc.js specialSecretSig,
// specialOutputValueSig, unknownValue).
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";
import * as errorproto from "@pulumi/pulumi/proto/errors_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as resrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { cloudMocks } from "../../testing/mocks";

const repo = path.join(__dirname, "..", "..");

/** A secret value, as the engine marshals it. */
export function secret(value: unknown): Record<string, unknown> {
    return { [rpc.specialSigKey]: rpc.specialSecretSig, value };
}

/** A value of another resource's output (known or not, secret or not), as the engine marshals it with output values kept. */
export function outputValue(value: unknown, options: { secret?: boolean; dependencies?: string[] } = {}): Record<string, unknown> {
    return {
        [rpc.specialSigKey]: rpc.specialOutputValueSig,
        ...(value !== undefined ? { value } : {}),
        ...(options.secret === true ? { secret: true } : {}),
        dependencies: options.dependencies ?? [],
    };
}

/** A value not known yet (a preview before its resource exists). */
export const unknown = rpc.unknownValue;

/** One RegisterResource request as the monitor received it: `object` raw (secrets still marked). */
export interface Registration {
    type: string;
    name: string;
    custom: boolean;
    object: Record<string, unknown>;
}

/** The per-property error detail of a refused call (pulumirpc.InputPropertiesError in google.rpc.Status details). */
export interface RefusedCall {
    code: number;
    /** The status message: the headline the engine prints above the properties. */
    message: string;
    errors: { propertyPath: string; reason: string }[];
}

type Callback = (err: Error | null, resp?: unknown) => void;
type Call<T = unknown> = { request: T };

/** The engine and its resource monitor for one Construct. */
export class EngineStandIn {
    readonly registrations: Registration[] = [];
    readonly logs: string[] = [];
    readonly server = new grpc.Server();
    address = "";

    constructor(readonly preview: boolean) {
        const mocks = cloudMocks(preview, { config: { "aws:region": "eu-west-1" } });
        this.server.addService(enginerpc.EngineService, {
            log: (call: Call<engineproto.LogRequest>, cb: Callback) => { this.logs.push(call.request.getMessage()); cb(null, new emptyproto.Empty()); },
            getRootResource: (_: Call, cb: Callback) => cb(null, new engineproto.GetRootResourceResponse()),
            setRootResource: (_: Call, cb: Callback) => cb(null, new engineproto.SetRootResourceResponse()),
        });
        const F = resproto.ResourceMonitorFeature;
        this.server.addService(resrpc.ResourceMonitorService, {
            getDeploymentInfo: (_: Call, cb: Callback) => {
                const info = new resproto.DeploymentInfo();
                info.setSupportedfeaturesList([F.RESOURCE_MONITOR_FEATURE_SECRETS, F.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES, F.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
                    F.RESOURCE_MONITOR_FEATURE_DELETED_WITH, F.RESOURCE_MONITOR_FEATURE_TRANSFORMS]);
                cb(null, info);
            },
            supportsFeature: (call: Call<resproto.SupportsFeatureRequest>, cb: Callback) => {
                const resp = new resproto.SupportsFeatureResponse();
                resp.setHassupport(["secrets", "resourceReferences", "aliasSpecs", "deletedWith", "transforms", "outputValues"].includes(call.request.getId()));
                cb(null, resp);
            },
            registerResource: (call: Call<resproto.RegisterResourceRequest>, cb: Callback) => {
                void (async () => {
                    const req = call.request;
                    const object = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
                    this.registrations.push({ type: req.getType(), name: req.getName(), custom: req.getCustom(), object });
                    const inputs = rpc.deserializeProperties(req.getObject() ?? new structproto.Struct(), true) as Record<string, unknown>;
                    const result = req.getCustom()
                        ? await mocks.newResource({ type: req.getType(), name: req.getName(), inputs, provider: req.getProvider(), custom: true })
                        : { id: undefined, state: {} };
                    const parent = req.getParent();
                    const type = parent ? `${parent.split("::")[2]}$${req.getType()}` : req.getType();
                    const resp = new resproto.RegisterResourceResponse();
                    resp.setUrn(`urn:pulumi:stack::project::${type}::${req.getName()}`);
                    resp.setId(result.id ?? "");
                    resp.setObject(structproto.Struct.fromJavaScript(await rpc.serializeProperties("mock", result.state, { keepOutputValues: false }) as Record<string, structproto.JavaScriptValue>));
                    cb(null, resp);
                })().catch((e: Error) => cb(e));
            },
            registerResourceOutputs: (_: Call, cb: Callback) => cb(null, new emptyproto.Empty()),
            invoke: (call: Call<resproto.ResourceInvokeRequest>, cb: Callback) => {
                const resp = new resproto.ResourceInvokeResponse();
                const values = mocks.call({ token: call.request.getTok(), inputs: {}, provider: "" }) as Record<string, structproto.JavaScriptValue>;
                resp.setReturn(structproto.Struct.fromJavaScript(values));
                cb(null, resp);
            },
            registerPackage: (_: Call, cb: Callback) => {
                const resp = new resproto.RegisterPackageResponse();
                resp.setRef("stand-in-package");
                cb(null, resp);
            },
        });
    }

    async start(): Promise<void> {
        const port = await new Promise<number>((resolve, reject) =>
            this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
        this.address = `127.0.0.1:${port}`;
    }

    stop(): void {
        this.server.forceShutdown();
    }

    /** The registered resources of a type. */
    ofType(type: string): Registration[] {
        return this.registrations.filter((r) => r.type === type);
    }
}

/** The plugin, started from the sources (ts-node) the way the language host starts a source plugin. */
export class PluginProcess {
    private child?: ChildProcess;
    private program = "";
    stderr = "";
    client?: provrpc.ResourceProviderClient;

    async start(engineAddress: string): Promise<void> {
        // run-plugin `require`s the program it is given (as it requires package.json `main`, dist/provider.js).
        this.program = path.join(os.tmpdir(), `druid-plugin-${process.pid}-${Date.now()}.js`);
        fs.writeFileSync(this.program, [
            `require(${JSON.stringify(require.resolve("ts-node", { paths: [repo] }))}).register({ transpileOnly: true, project: ${JSON.stringify(path.join(repo, "tsconfig.json"))} });`,
            `require(${JSON.stringify(path.join(repo, "provider.ts"))});`,
        ].join("\n"));
        const runPlugin = require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [repo] });
        const child = spawn(process.execPath, [runPlugin, this.program, engineAddress], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
        this.child = child;
        child.stderr.on("data", (d: Buffer) => { this.stderr += d.toString(); });
        const port = await new Promise<string>((resolve, reject) => {
            let out = "";
            child.stdout.on("data", (d: Buffer) => {
                out += d.toString();
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) resolve(m[1]);
            });
            child.on("exit", (code) => reject(new Error(`plugin exited with ${code} before listening:\n${this.stderr}`)));
        });
        this.client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    }

    stop(): void {
        this.client?.close();
        if (this.child !== undefined && this.child.exitCode === null) this.child.kill();
        if (this.program !== "") fs.rmSync(this.program, { force: true });
    }
}

/** A Construct request of `druid:index:DruidCluster` as the engine sends it. */
export function constructRequest(engineAddress: string, name: string, inputs: Record<string, unknown>, options: { preview: boolean; dependencies?: Record<string, string[]> }): provproto.ConstructRequest {
    const req = new provproto.ConstructRequest();
    req.setProject("project");
    req.setStack("stack");
    req.setDryrun(options.preview);
    req.setParallel(16);
    req.setMonitorendpoint(engineAddress);
    req.setType("druid:index:DruidCluster");
    req.setName(name);
    req.getConfigMap().set("aws:region", "eu-west-1");
    req.setInputs(structproto.Struct.fromJavaScript(inputs as Record<string, structproto.JavaScriptValue>));
    for (const [key, urns] of Object.entries(options.dependencies ?? {})) {
        const deps = new provproto.ConstructRequest.PropertyDependencies();
        deps.setUrnsList(urns);
        req.getInputdependenciesMap().set(key, deps);
    }
    return req;
}

/** The Construct's answer: its outputs (raw, secrets marked), or the refusal with its decoded per-property details. */
export async function construct(plugin: PluginProcess, req: provproto.ConstructRequest): Promise<{ urn: string; state: Record<string, unknown> } | { refused: RefusedCall }> {
    const client = plugin.client!;
    return new Promise((resolve, reject) => {
        client.construct(req, (err, resp) => {
            if (err === null) {
                resolve({ urn: resp.getUrn(), state: (resp.getState()?.toJavaScript() ?? {}) });
                return;
            }
            if (err.metadata === undefined) { reject(err); return; }
            const refused: RefusedCall = { code: err.code, message: err.details, errors: [] };
            const bin = err.metadata.get("grpc-status-details-bin")[0];
            if (bin !== undefined) {
                const status = statusproto.Status.deserializeBinary(new Uint8Array(bin as Buffer));
                for (const any of status.getDetailsList()) {
                    if (any.getTypeName() !== "pulumirpc.InputPropertiesError") continue;
                    const detail = errorproto.InputPropertiesError.deserializeBinary(any.getValue_asU8());
                    refused.errors.push(...detail.getErrorsList().map((e) => ({ propertyPath: e.getPropertyPath(), reason: e.getReason() })));
                }
            }
            resolve({ refused });
        });
    });
}

/** Whether a marshalled value is a secret (a secret signature, or an output value marked secret). */
export function isMarkedSecret(value: unknown): boolean {
    if (value === null || typeof value !== "object") return false;
    const v = value as Record<string, unknown>;
    return v[rpc.specialSigKey] === rpc.specialSecretSig || (v[rpc.specialSigKey] === rpc.specialOutputValueSig && v.secret === true);
}

