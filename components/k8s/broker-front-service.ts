import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { servicePort } from "../config/druid-config";
import { druidObjectName } from "../plan/names";
import { standardLabels } from "./pod-spec";

/** What the Service in front of every zone's Brokers is made of. */
export interface BrokerFrontServiceInputs {
    cluster: string;
    namespace: pulumi.Input<string>;
    druidVersion: string;
    tls: boolean;
}

/** The label every Druid pod carries with its kind (k8s/druid-service.ts): the Brokers of every zone share "broker". */
export const druidServiceLabel = "druid.apache.org/service";

/**
 * The Kubernetes Service `<cluster>-broker` in front of the Brokers of every zone, when the Brokers
 * are zone-local (plan/resolve-zone-brokers.ts: one Deployment and Service per zone, `<cluster>-broker-a`, ...):
 * it selects every Broker pod of the cluster by its kind label, so `brokerServiceName` and the clients
 * of `networkPolicies.brokerDirectAccess` keep one name. It has the query port only: the
 * ServiceMonitor scrapes each zone's Service's `metrics` port, and a second one here would scrape
 * every Broker twice.
 *
 * Its component has the type and name of the DruidService that held the Broker Service before the
 * Brokers were zone-local (`druid:kubernetes:DruidService` `<cluster>-broker`), so the Service keeps its
 * URN: turning `preferZoneOf` on or off updates the Service in place (a new selector) instead of
 * creating a second object of the same name, which the API server would refuse while the first exists.
 */
export class BrokerFrontService extends pulumi.ComponentResource {
    public readonly service: k8s.core.v1.Service;
    public readonly serviceName: pulumi.Output<string>;

    constructor(name: string, inputs: BrokerFrontServiceInputs, opts?: pulumi.ComponentResourceOptions) {
        super("druid:kubernetes:DruidService", name, {}, opts);
        const objectName = druidObjectName(inputs.cluster, "broker");
        const port = servicePort("broker", inputs.tls);
        this.service = new k8s.core.v1.Service(name, {
            metadata: { name: objectName, namespace: inputs.namespace, labels: { ...standardLabels(inputs.cluster, "broker", inputs.druidVersion), [druidServiceLabel]: "broker" } },
            spec: {
                type: "ClusterIP",
                selector: { "app.kubernetes.io/instance": inputs.cluster, [druidServiceLabel]: "broker" },
                ports: [{ name: inputs.tls ? "https" : "http", port, targetPort: port }],
            },
        }, { parent: this });
        this.serviceName = this.service.metadata.name;
        this.registerOutputs({});
    }
}
