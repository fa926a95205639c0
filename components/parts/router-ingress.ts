import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { servicePort } from "../config/druid-config";
import { DruidService } from "../k8s/druid-service";
import { ClusterPlan } from "../plan/resolve";
import { Parent } from "./parent";

/** The Router's Ingress (`router.ingress`), to its Service's port; nothing without it. */
export function createRouterIngress(name: string, plan: Pick<ClusterPlan, "router" | "tls">, namespace: pulumi.Input<string>, router: DruidService, parent: Parent): void {
    const ing = plan.router.ingress;
    if (ing === undefined) return;
    const routerPort = servicePort("router", plan.tls !== undefined);
    new k8s.networking.v1.Ingress(`${name}-router`, {
        metadata: { name: `${name}-router`, namespace, annotations: ing.annotations },
        spec: {
            ingressClassName: ing.className,
            tls: ing.tlsSecretName !== undefined ? [{ hosts: [ing.host], secretName: ing.tlsSecretName }] : undefined,
            rules: [{
                host: ing.host,
                http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: router.serviceName, port: { number: routerPort } } } }] },
            }],
        },
    }, parent);
}
