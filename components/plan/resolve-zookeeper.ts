import { haMinimums, ClusterPlan } from "./cluster-plan";
import { resources } from "./resolve-services";
import { DruidClusterArgs } from "../args";
import { checkNoRequests } from "./validate-requests";
import { supportedZooKeeperImages } from "./druid-versions";
import { DruidArgumentError } from "../core/errors";
import { checkExclusive, checkInteger, checkVolumeBytes } from "./validate";
import { imageVersion, parseImageReference } from "./image-reference";
import { checkScheduling, isLabelValue, labelValueRule } from "./validate-kubernetes";
import { checkStorageClass } from "./validate-objects";

// The plan of the ZooKeeper ensemble (or the connect string of yours).

export function resolveZooKeeper(args: DruidClusterArgs, highAvailability: boolean): ClusterPlan["zookeeper"] {
    const z = args.zookeeper ?? {};
    checkExclusive("zookeeper", "externalConnectString", z as Record<string, unknown>, ["replicas", "image", "resources", "volumeSize", "storageClass", "scheduling"]);
    if (z.externalConnectString !== undefined && !/^[A-Za-z0-9.-]+:\d+(,[A-Za-z0-9.-]+:\d+)*(\/[A-Za-z0-9/_-]+)?$/.test(z.externalConnectString)) {
        throw new DruidArgumentError("zookeeper.externalConnectString", z.externalConnectString, "must be host:port[,host:port...][/chroot]");
    }
    const replicas = checkInteger("zookeeper.replicas", z.replicas, highAvailability ? haMinimums.zookeeper : 3, 1, 7);
    if (replicas % 2 === 0) {
        throw new DruidArgumentError("zookeeper.replicas", replicas, "must be odd (1, 3, 5 or 7) so the ensemble keeps a majority");
    }
    if (highAvailability && z.externalConnectString === undefined && replicas < haMinimums.zookeeper) {
        throw new DruidArgumentError("zookeeper.replicas", replicas,
            `must be at least ${haMinimums.zookeeper} with highAvailability: 5 servers keep a quorum with one drained and another failed (3 keep it only through one)`);
    }
    const volumeSize = z.volumeSize ?? "10Gi";
    checkVolumeBytes("zookeeper.volumeSize", volumeSize);
    const image = z.image ?? supportedZooKeeperImages.default;
    const ref = parseImageReference(image);
    if (ref === undefined) {
        throw new DruidArgumentError("zookeeper.image", image,
            "must be an image reference: [registry[:port]/]path[:tag][@digest], e.g. \"zookeeper:3.8.6\" or \"registry.example.com:5000/zookeeper:3.8.6\"");
    }
    if (!isLabelValue(imageVersion(ref))) {
        throw new DruidArgumentError("zookeeper.image", image,
            `has the tag "${imageVersion(ref)}", which the ensemble's app.kubernetes.io/version label cannot hold: ${labelValueRule}`);
    }
    checkNoRequests("zookeeper.resources", z.resources, "ZooKeeper");
    const r = resources("zookeeper.resources", z.resources, { cpu: "500m", memory: "1Gi" });
    const memoryMiB = Math.floor(r.memoryBytes / 2 ** 20);
    if (memoryMiB < 512) {
        throw new DruidArgumentError("zookeeper.resources.memory", r.resources.memory, "must be at least 512Mi: ZooKeeper gets 75% as heap and needs the rest for the JVM");
    }
    return {
        heapMiB: Math.floor(memoryMiB * 0.75),
        external: z.externalConnectString,
        replicas,
        image,
        resources: r.resources,
        volumeSize,
        storageClass: checkStorageClass("zookeeper.storageClass", z.storageClass),
        scheduling: checkScheduling("zookeeper.scheduling", z.scheduling),
    };
}
