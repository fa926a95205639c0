import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { render } from "../cli/render";
import { DruidCluster, DruidClusterArgs } from "../index";
import { Plan, planProgram } from "../testing";
import { checkObjectFiles, checkPlan, modelFor } from "./support/kubernetes-schema";
import { defaultArgs } from "./fixtures/args";
import { everyPlacementField } from "./fixtures/platform-args";

// The checker (tests/support/kubernetes-schema.ts) validates every rendered object against Kubernetes'
// upstream OpenAPI schema of its kind; the property-based test uses it too.

async function planOf(args: DruidClusterArgs): Promise<Plan> {
    return (await planProgram(() => new DruidCluster("druid", args), { preview: false, config: { "aws:region": "eu-west-1" } })).plan;
}

describe("every rendered Kubernetes object passes its upstream OpenAPI schema", function () {
    this.timeout(60000);
    const clusters: Record<string, DruidClusterArgs> = {
        "default": defaultArgs(),
        "TLS, ingress, autoscaling, ServiceMonitor": {
            ...defaultArgs(),
            tls: { certManagerIssuer: "druid-ca" },
            metrics: { serviceMonitor: true },
            query: {
                broker: { autoscaling: { minReplicas: 2, maxReplicas: 6 } },
                router: { serviceType: "LoadBalancer", ingress: { host: "druid.example.com", className: "alb" }, serviceAnnotations: { "service.beta.kubernetes.io/aws-load-balancer-internal": "true" } },
            },
        },
        "Indexers, ephemeral two tiers, static keys, scheduling": {
            ...defaultArgs(),
            deepStorage: { accessMode: "staticKeys" },
            data: {
                historicalStorage: "ephemeral",
                ingestion: { worker: "indexer", scheduling: { nodeSelector: { pool: "ingest" }, tolerations: [{ key: "dedicated", operator: "Equal", value: "ingest", effect: "NoSchedule" }] } },
                historicalTiers: [{ name: "default", volumeSize: "100Gi" }, { name: "hot", volumeSize: "50Gi", priority: 10, storageClass: "gp3" }],
            },
        },
        // Requests below limits, affinity, topology spread, budgets, autoscaler metrics, sidecar probes/hooks/security context.
        "placement, disruption and autoscaler controls, sidecar with probes and hooks": everyPlacementField(),
    };
    for (const [title, args] of Object.entries(clusters)) {
        it(title, async () => {
            const { checked } = checkPlan(await planOf(args));
            assert.ok(checked >= 30, String(checked));
        });
    }

    // The files `render` writes, as a user would apply them: no base64 stand-in for the masks.
    for (const program of ["examples/quickstart", "tests/fixtures/programs/namespace-output.ts", "tests/fixtures/programs/existing-postgres.ts"]) {
        it(`the files render writes for ${program}, as written`, async function () {
            this.timeout(120000);
            const out = fs.mkdtempSync(path.join(os.tmpdir(), "schema-render-"));
            try {
                await render({ program: path.join(__dirname, "..", program), out: path.join(out, "r") });
                const { checked } = checkObjectFiles(path.join(out, "r"));
                assert.ok(checked >= 30, String(checked));
            } finally {
                fs.rmSync(out, { recursive: true, force: true });
            }
        });
    }

    it("the check refuses what the API server's schema would: a string port, a container without a name", () => {
        const bad = (mutate: (o: Record<string, unknown>) => void) => {
            const o = { apiVersion: "v1", kind: "Service", metadata: { name: "x" }, spec: { ports: [{ port: 8081 }] } } as Record<string, unknown>;
            mutate(o);
            return () => new (modelFor("v1", "Service")!)(o).validate();
        };
        assert.doesNotThrow(bad(() => undefined));
        assert.throws(bad((o) => { (o.spec as { ports: { port: unknown }[] }).ports[0].port = "8081"; }), /must be integer/);
        const Deployment = modelFor("apps/v1", "Deployment")!;
        assert.doesNotThrow(() => new Deployment({ metadata: { name: "x" }, spec: { selector: {}, template: { spec: { containers: [{ name: "c", image: "i" }] } } } }).validate());
        assert.throws(() => new Deployment({ metadata: { name: "x" }, spec: { selector: {}, template: { spec: { containers: [{ image: "i" }] } } } }).validate(), /name/);
    });
});
