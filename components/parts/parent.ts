import * as pulumi from "@pulumi/pulumi";

// What every part of DruidCluster (components/parts/*.ts) takes as its last argument: the options
// its resources are created with, `{ parent: <the DruidCluster> }`, so that every child resource has
// the component as its parent and inherits its provider and transformations.

/** The options every child resource of a DruidCluster is created with. */
export interface Parent extends pulumi.CustomResourceOptions {
    /** The DruidCluster. */
    readonly parent: pulumi.Resource;
}
