import * as pulumi from "@pulumi/pulumi";
import { Resources, Scheduling } from "./args-kubernetes";

// Coordination, re-exported by args.ts: how Druid's processes find each other and elect leaders,
// through ZooKeeper (the component's ensemble or an external one) or the Kubernetes API. Checked in
// resolve.ts and resolve-kubernetes-coordination.ts.

/** How Druid processes find each other and elect the Coordinator and Overlord leaders. */
export const Coordination = { ZooKeeper: "zookeeper", Kubernetes: "kubernetes" } as const;

/** How Druid processes find each other and elect the Coordinator and Overlord leaders. */
export type Coordination = (typeof Coordination)[keyof typeof Coordination];

/** ZooKeeper: an ensemble on Kubernetes, or an external one. */
export interface ZooKeeper {
    /** Use this connect string ("host:2181,host2:2181") instead of running an ensemble. Default: run one. */
    externalConnectString?: string;
    /** Ensemble size, odd. Default 3. */
    replicas?: number;
    /** ZooKeeper image. Default "zookeeper:3.8.6". */
    image?: string;
    /** CPU and memory of each server. Default 500m / 1Gi. */
    resources?: Resources;
    /** Data volume size. Default "10Gi". */
    volumeSize?: string;
    /** Storage class of the data volume. Default: the cluster's default class. */
    storageClass?: pulumi.Input<string>;
    /** Node selector and tolerations. Default: none. */
    scheduling?: Scheduling;
}

/**
 * Leader election of the Coordinators and Overlords with coordination "kubernetes" (Druid's
 * `druid.discovery.k8s.leaseDuration`, `renewDeadline`, `retryPeriod`, K8sDiscoveryConfig). Druid
 * does not release the lock when a leader stops, so a failover waits until the lease expires.
 */
export interface LeaderElection {
    /** How long a leader's lease lasts without renewal, in seconds: the longest a failover waits. Default 15 with highAvailability, else Druid's 60. */
    leaseDurationSeconds?: number;
    /** How long the leader keeps trying to renew before it gives up leadership, in seconds; less than the lease. Default 10 with highAvailability, else Druid's 17. */
    renewDeadlineSeconds?: number;
    /** Seconds between two attempts to acquire or renew the lock; less than the renew deadline. Default 2 with highAvailability, else Druid's 5. */
    retryPeriodSeconds?: number;
}
