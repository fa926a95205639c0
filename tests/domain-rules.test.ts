import assert from "node:assert/strict";
import { DruidCluster } from "../index";
import { planProgram } from "../testing";
import { resolveCluster } from "../components/plan/resolve";
import { imageVersion, parseImageReference } from "../components/plan/image-reference";
import { checkJvmOptionForms } from "../components/plan/jvm-options";
import { propertyTypes, propertyValueProblem } from "../components/plan/property-types";
import { isQualifiedName } from "../components/plan/validate-kubernetes";
import { defaultArgs } from "./fixtures/args";

// What the domain rules still accept, and the values now rendered differently. The refusals are
// rows of tests/bad-input.test.ts.

type Obj = Record<string, unknown>;

describe("domain rules: what stays valid", () => {
    it("ZooKeeper from a registry with a port: the version label is the tag, not \"5000/zookeeper\"", async () => {
        const args = { ...defaultArgs(), zookeeper: { image: "registry.example.com:5000/zookeeper:3.8.6" } };
        const { plan } = await planProgram(() => new DruidCluster("druid", args), { preview: true });
        const sts = plan.ofType("kubernetes:apps/v1:StatefulSet").find((r) => (r.inputs.metadata as Obj).name === "druid-zookeeper")!;
        assert.equal(((sts.inputs.metadata as Obj).labels as Obj)["app.kubernetes.io/version"], "3.8.6");
        const container = ((((sts.inputs.spec as Obj).template as Obj).spec as Obj).containers as Obj[])[0];
        assert.equal(container.image, "registry.example.com:5000/zookeeper:3.8.6");
    });

    it("parses image references by the distribution/reference grammar", () => {
        assert.deepEqual(parseImageReference("registry.example.com:5000/zookeeper:3.8.6"), { name: "registry.example.com:5000/zookeeper", tag: "3.8.6", digest: undefined });
        assert.deepEqual(parseImageReference("localhost:5000/zk"), { name: "localhost:5000/zk", tag: undefined, digest: undefined });
        const pinned = parseImageReference(`zookeeper:3.8.6@sha256:${"ab".repeat(32)}`)!;
        assert.equal(pinned.tag, "3.8.6");
        assert.equal(imageVersion(parseImageReference(`zookeeper@sha256:${"0123456789ab".repeat(6)}`)!), "0123456789ab");
        assert.equal(imageVersion(parseImageReference("zookeeper")!), "latest");
        for (const bad of ["Zookeeper:3.8", "zookeeper:", "zookeeper:3.8.6:1", "-zk:1", "zk@sha256:abc", "reg:port/zk"]) {
            assert.equal(parseImageReference(bad), undefined, bad);
        }
    });

    it("accepts the launcher's option forms", () => {
        assert.doesNotThrow(() => checkJvmOptionForms(["-server", "-ea", "-Xss2m", "-XX:+UseZGC", "-XX:-UseCompressedOops", "-XX:MaxRAMPercentage=75.0",
            "-Dfoo", "-Ddruid.emitter=noop", "--add-opens=java.base/java.lang=ALL-UNNAMED", "--enable-preview", "-javaagent:/opt/agent.jar=port=9404", "-verbose:gc"], "x"));
    });

    it("accepts Druid's own values of the typed properties, and Java's limits", () => {
        const ok: Record<string, string> = {
            "druid.server.http.numThreads": "2147483647", "druid.server.priority": "-5", "druid.cache.sizeInBytes": "9223372036854775807",
            "druid.processing.buffer.sizeBytes": "1GiB", "druid.server.maxSize": "300g", "druid.router.http.readTimeout": "PT5M",
            "druid.coordinator.kill.durationToRetain": "P90D", "druid.server.http.gracefulShutdownTimeout": "PT0.5S", "druid.sql.enable": "TRUE",
        };
        for (const [k, v] of Object.entries(ok)) assert.equal(propertyValueProblem(propertyTypes[k], v), undefined, `${k}=${v}`);
        assert.match(propertyValueProblem(propertyTypes["druid.server.http.numThreads"], "2147483648")!, /Java int/);
        assert.match(propertyValueProblem(propertyTypes["druid.coordinator.kill.durationToRetain"], "P1M")!, /no years or months/);
    });

    it("accepts label keys with one prefix, tolerations of every taint, and annotation values of any text", () => {
        assert.ok(isQualifiedName("service.beta.kubernetes.io/aws-load-balancer-internal"));
        assert.ok(!isQualifiedName("a/b/c"));
        assert.ok(!isQualifiedName(`${"a".repeat(64)}`));
        const args = {
            ...defaultArgs(),
            query: { broker: { scheduling: { tolerations: [{ operator: "Exists" }], nodeSelector: { "karpenter.sh/nodepool": "druid" } } },
                router: { serviceAnnotations: { "example.com/note": "any text: with spaces, \"quotes\" and /slashes/" } } },
        };
        assert.doesNotThrow(() => resolveCluster("druid", args));
    });

    it("a prefix of S3's safe characters without wildcards stays valid", () => {
        assert.equal(resolveCluster("druid", { ...defaultArgs(), deepStorage: { ...defaultArgs().deepStorage, prefix: "prod/druid_(v2)!'x" } }).deepStorage.prefix, "prod/druid_(v2)!'x");
    });
});
