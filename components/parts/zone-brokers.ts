import * as pulumi from "@pulumi/pulumi";
import { BrokerFrontService } from "../k8s/broker-front-service";
import { DruidService } from "../k8s/druid-service";
import { ClusterPlan } from "../plan/resolve";
import { Parent } from "./parent";

/**
 * The Brokers' Service name, for `brokerServiceName`: the one Broker workload's Service, or, with
 * zone-local Brokers (`query.broker.preferZoneOf`), a Service in front of every zone's Brokers
 * (k8s/broker-front-service.ts).
 */
export function createBrokerService(name: string, plan: Pick<ClusterPlan, "services" | "druidVersion" | "tls">, namespace: pulumi.Input<string>,
    services: Map<string, DruidService>, parent: Parent): pulumi.Output<string> {
    const one = services.get("broker");
    if (one !== undefined) return one.serviceName;
    const front = new BrokerFrontService(`${name}-broker`, { cluster: name, namespace, druidVersion: plan.druidVersion, tls: plan.tls !== undefined }, parent);
    return front.serviceName;
}
