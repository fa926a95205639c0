import { DeepStorage } from "../aws/deep-storage";
import { MetadataStore } from "../aws/metadata-store";
import { ClusterPlan } from "../plan/resolve";
import { Parent } from "./parent";

/** The AWS parts: the S3 deep storage (with the pods' IAM access) and the PostgreSQL metadata store. */
export interface Storage {
    deepStorage: DeepStorage;
    metadataStore: MetadataStore;
}

/** The deep storage (aws/deep-storage.ts) and the metadata store (aws/metadata-store.ts), tagged with the cluster's tags. */
export function createStorage(name: string,
    plan: Pick<ClusterPlan, "deepStorage" | "metadataStore" | "namespace" | "serviceAccountName" | "overlordServiceAccountName" | "customization">,
    parent: Parent): Storage {
    const deepStorage = new DeepStorage(`${name}-deep-storage`, {
        ...plan.deepStorage, namespace: plan.namespace, serviceAccountName: plan.serviceAccountName, overlordServiceAccountName: plan.overlordServiceAccountName,
        tags: plan.customization.tags,
    }, parent);
    const metadataStore = new MetadataStore(`${name}-metadata`, { ...plan.metadataStore, tags: plan.customization.tags }, parent);
    return { deepStorage, metadataStore };
}
