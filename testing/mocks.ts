import * as pulumi from "@pulumi/pulumi";

/** Options for what the mocks stand for. */
export interface MockOptions {
    /** Stack configuration ("aws:region", "project:key"), as a real stack's config would give. */
    config?: Record<string, string>;
    /**
     * What an earlier `pulumi up` left in the state for resources this run does not change (no
     * diff, or only ignored changes), by "<type> <name>": the mocks return these outputs instead
     * of the inputs, in preview too, as the engine does for an unchanged resource. Default: none
     * (every resource is new).
     */
    previousOutputs?: Record<string, Record<string, unknown>>;
    /** Filled with every resource's outputs (raw, secrets included) by "<type> <name>": the state to hand to a later run as `previousOutputs`. */
    outputsInto?: Record<string, Record<string, unknown>>;
}

type State = Record<string, unknown>;

/**
 * What the mocks stand for. In preview mode they answer what a real `pulumi preview` knows: the
 * inputs, values the providers settle before creation (an explicit Kubernetes metadata.name, the
 * AWS provider's configured region), and nothing else: ids, ARNs, endpoints, generated passwords,
 * auto-names and Kubernetes uids stay unknown. In update mode they stand for a successful `pulumi up` and return
 * deterministic fake values (`<name>-id`, `arn:aws:...:<name>`, a fixed fake password, fixed random bytes) so tests can
 * follow a value and check, for example, that a password never reaches a ConfigMap.
 */
export function cloudMocks(preview: boolean, options: MockOptions): pulumi.runtime.Mocks {
    const region = options.config?.["aws:region"];
    const unknown = pulumi.runtime.unknownValue;
    const computed = (value: unknown): unknown => (preview ? unknown : value);
    return {
        newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: State } {
            const inputs = (args.inputs ?? {}) as State;
            const name = args.name;
            const previous = options.previousOutputs?.[`${args.type} ${name}`];
            if (previous !== undefined) {
                if (options.outputsInto !== undefined) options.outputsInto[`${args.type} ${name}`] = previous;
                return { id: `${name}-id`, state: { ...previous } };
            }
            const state: State = { ...inputs };
            const arn = (service: string, kind: string) => computed(`arn:aws:${service}::123456789012:${kind}/${name}`);
            switch (args.type) {
                case "aws:s3/bucket:Bucket":
                    state.bucket = inputs.bucket ?? computed(`${name}-bucket`);
                    state.arn = computed(`arn:aws:s3:::${typeof inputs.bucket === "string" ? inputs.bucket : `${name}-bucket`}`);
                    state.region = inputs.region ?? region ?? computed("us-east-1");
                    break;
                case "aws:iam/role:Role":
                    state.arn = arn("iam", "role");
                    state.name = inputs.name ?? computed(name);
                    break;
                case "aws:iam/user:User":
                    state.arn = arn("iam", "user");
                    state.name = inputs.name ?? computed(name);
                    break;
                case "aws:iam/accessKey:AccessKey":
                    state.secret = computed(`mock-secret-access-key-${name}`);
                    break;
                case "aws:kms/key:Key":
                    // A key ARN names its region (arn:aws:kms:<region>:<account>:key/<key id>).
                    state.keyId = computed(`${name}-id`);
                    state.arn = computed(`arn:aws:kms:${region ?? "us-east-1"}:123456789012:key/${name}-id`);
                    break;
                case "aws:rds/instance:Instance":
                    state.address = computed(`${name}.abcdefghijkl.us-east-1.rds.amazonaws.com`);
                    state.endpoint = computed(`${name}.abcdefghijkl.us-east-1.rds.amazonaws.com:5432`);
                    state.port = inputs.port ?? 5432;
                    state.arn = arn("rds", "db");
                    // AWS names an instance without an identifier after the resource, with a suffix.
                    state.identifier = inputs.identifier ?? computed(`${name}-autoname`);
                    break;
                case "aws:rds/subnetGroup:SubnetGroup":
                case "aws:rds/parameterGroup:ParameterGroup":
                    state.name = inputs.name ?? computed(`${name}-autoname`);
                    break;
                case "random:index/randomPassword:RandomPassword":
                    state.result = computed(`mock-password-${name}`);
                    break;
                case "random:index/randomString:RandomString":
                    // A fixed fake of `length` characters.
                    state.result = computed("x".repeat(Number(inputs.length ?? 8)));
                    break;
                case "random:index/randomInteger:RandomInteger":
                    state.result = computed(inputs.min);
                    break;
                case "random:index/randomBytes:RandomBytes": {
                    // A fixed fake of `length` bytes, derived from the name.
                    const bytes = Buffer.alloc(Number(inputs.length ?? 32), name);
                    state.hex = computed(bytes.toString("hex"));
                    state.base64 = computed(bytes.toString("base64"));
                    break;
                }
                default:
                    if (args.type.startsWith("kubernetes:")) {
                        const metadata = (inputs.metadata ?? {}) as State;
                        // The API server gives every object a uid on creation.
                        state.metadata = { ...metadata, name: metadata.name ?? computed(`${name}-autoname`), uid: computed(`uid-${name}`) };
                    }
            }
            if (options.outputsInto !== undefined) options.outputsInto[`${args.type} ${name}`] = state;
            return { id: preview ? undefined : `${name}-id`, state };
        },
        call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
            switch (args.token) {
                case "aws:index/getPartition:getPartition":
                    return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
                case "aws:index/getRegion:getRegion":
                    return { region: region ?? "us-east-1", name: region ?? "us-east-1", id: region ?? "us-east-1" };
                default:
                    return {};
            }
        },
    };
}
