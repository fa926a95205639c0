import { DruidArgumentError } from "../core/errors";

/**
 * TLS with tasks as Kubernetes Jobs is refused: every client of a running task calls it at the
 * pod IP, which no certificate can name.
 *
 * - The Kubernetes task runner reports a task's location as the pod IP:
 *   KubernetesPeonLifecycle.getTaskLocation builds `TaskLocation.create(podStatus.getPodIP(),
 *   DruidK8sConstants.PORT, DruidK8sConstants.TLS_PORT, <tls.enabled annotation>, <pod name>)`
 *   (apache/druid extensions-core/kubernetes-overlord-extensions/src/main/java/org/apache/druid/k8s/
 *   overlord/KubernetesPeonLifecycle.java, method getTaskLocation, read at the stored revision
 *   01181f7ef4e130203465d6b4f7e4160da65173fc: the 37.0.0 commit 7e761c14 is not stored; the runner's
 *   other stored revisions, back to its first TaskLocation, also use `getPodIP()`). The Overlord (supervisors' task clients,
 *   live task reports) and MSQ controller tasks (their workers' locations) use it: a client of a
 *   task asks the Overlord for the task's status and calls `location.getHost()` at its port or TLS
 *   port (apache/druid server/src/main/java/org/apache/druid/rpc/indexing/SpecificTaskServiceLocator.java,
 *   resolvePendingFuture, stored revision 0c111a679c9a6df08a8e0b82594c3b5d6879d1c5).
 * - Druid's clients check the server's name (`druid.client.https.validateHostnames`, set "true" by
 *   config/druid-config.ts): an IP must be an IP SAN of the certificate.
 * - The Peon's Jetty 12 checks the request's Host against its own certificate, with or without SNI
 *   (`druid.server.http.enforceStrictSNIHostChecking`, default true from Druid 35):
 *   SecureRequestCustomizer.checkSni throws 400 "Invalid SNI" when `!x509.matches(serverName)`, and
 *   X509.matches accepts an IP only among the certificate's IP SANs (jetty/jetty.project
 *   jetty-core/jetty-server/.../SecureRequestCustomizer.java and jetty-core/jetty-util/.../ssl/X509.java,
 *   stored revision 0d18b67f12012417b7f704116e4a9c10cd859e76).
 * A pod IP is known only once the pod runs, so a certificate issued beforehand cannot hold it;
 * working around both checks would switch off host-name verification on the Overlord and every
 * task pod, accepting any certificate of the issuer.
 */
export function checkTaskJobsTls(tlsGiven: boolean, worker: "middleManager" | "indexer" | "kubernetesJobs"): void {
    if (!tlsGiven || worker !== "kubernetesJobs") return;
    throw new DruidArgumentError("data.ingestion.worker", worker,
        "cannot run with tls: the Overlord reaches each task pod at its pod IP (the Kubernetes task runner's TaskLocation), " +
        "which no certificate names, so Druid's host-name check (druid.client.https.validateHostnames) and the Peon's strict SNI check " +
        "(Jetty 12, druid.server.http.enforceStrictSNIHostChecking) refuse every call to a running task (supervisors, live reports, MSQ workers); " +
        "choose worker \"indexer\" or \"middleManager\" with tls, or leave tls out to run tasks as Kubernetes Jobs");
}
