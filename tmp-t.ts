import { DruidCluster } from "./components/druid-cluster";
import { resolveCluster } from "./components/resolve";
import { defaultArgs } from "./tests/fixtures/args";
try { resolveCluster("x", { ...defaultArgs(), query: { router: { replicas: "two" as unknown as number }, broker: { resources: { cpu: "1", memory: "1Gi" } } }, zookeeper: { replicas: 2 }, extraExtensions: ["druid-parquet-extension"] }); } catch (e) { console.log(e); }
void DruidCluster;
