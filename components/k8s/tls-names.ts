import { druidObjectName, statefulPodHost } from "./druid-service";

/** One Druid service, as its host names need it. */
export interface TlsNameService {
    key: string;
    /** A StatefulSet (Historical, MiddleManager, Indexer): its pods announce `<pod>.<service>.<namespace>.svc`. */
    stateful: boolean;
}

/**
 * Every host name a client uses to reach a Druid pod over TLS, as certificate DNS names. Druid 35+
 * serves with Jetty 12, whose SecureRequestCustomizer.checkSni (on by default in Druid:
 * `druid.server.http.enforceStrictSNIHostChecking`, ServerConfig) answers 400 "Invalid SNI" to a
 * request whose Host is not a name of the certificate; Druid's own clients check the name too
 * (`druid.client.https.validateHostnames`, default true). So the certificate holds:
 * - the pod DNS names that Deployments' pods announce (`<a-b-c-d>.<namespace>.pod.cluster.local`);
 * - the stable names that StatefulSet pods announce (`<pod>.<service>.<namespace>.svc`, and the
 *   `.svc.cluster.local` form), one wildcard per service;
 * - each Service in every form a client in the cluster writes it: `<service>`, `<service>.<namespace>`,
 *   `<service>.<namespace>.svc`, `<service>.<namespace>.svc.cluster.local` (the probes and the
 *   pods' scripts send `Host: <service>.<namespace>.svc`);
 * - the Router Ingress's host, which an Ingress controller passes on as Host when it talks TLS to the Router.
 */
export function tlsDnsNames(cluster: string, namespace: string, services: TlsNameService[], ingressHost?: string): string[] {
    const names = [`*.${namespace}.pod.cluster.local`];
    for (const s of services) {
        const svc = druidObjectName(cluster, s.key);
        names.push(`${svc}.${namespace}.svc`, `${svc}.${namespace}.svc.cluster.local`, svc, `${svc}.${namespace}`);
        if (s.stateful) {
            const pods = statefulPodHost(svc, namespace, "*");
            names.push(pods, `${pods}.cluster.local`);
        }
    }
    if (ingressHost !== undefined) names.push(ingressHost);
    return [...new Set(names)];
}
