import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { metadataCaMount } from "../config/druid-config";
import { ClusterPlan } from "../plan/resolve";
import { Parent } from "./parent";

/** A volume and where a container mounts it. */
export interface MountedVolume {
    volume: k8s.types.input.core.v1.Volume;
    mount: k8s.types.input.core.v1.VolumeMount;
}

/**
 * The metadata store's CA bundle as a read-only volume for the Coordinator and Overlord (sslMode
 * "verify-full"): from the PEM given (a ConfigMap the component creates: a CA bundle is public), or
 * from the user's Secret or ConfigMap; the key is always mounted as `ca.pem`, the file the
 * connectURI's `sslrootcert` names.
 */
export function metadataCaVolume(name: string, plan: Pick<ClusterPlan, "metadataTls">, namespace: pulumi.Input<string>, parent: Parent): MountedVolume | undefined {
    const ca = plan.metadataTls.ca;
    if (ca === undefined) return undefined;
    const items = [{ key: ca.key, path: metadataCaMount.file }];
    let volume: k8s.types.input.core.v1.Volume;
    if (ca.source === "pem") {
        const configMap = new k8s.core.v1.ConfigMap(`${name}-metadata-ca`, {
            metadata: { name: `${name}-metadata-ca`, namespace },
            data: { [ca.key]: ca.pem },
        }, parent);
        volume = { name: "metadata-ca", configMap: { name: configMap.metadata.name, items } };
    } else if (ca.source === "secret") {
        volume = { name: "metadata-ca", secret: { secretName: ca.name, items } };
    } else {
        volume = { name: "metadata-ca", configMap: { name: ca.name, items } };
    }
    return { volume, mount: { name: "metadata-ca", mountPath: metadataCaMount.dir, readOnly: true } };
}
