"""DruidCluster from Python, through the `druid` component provider of this repository.

How to run it (Pulumi CLI, Python 3 and Node.js 20 on the machine): `npm ci` once at the repository
root (it builds dist/, whose provider.js is the plugin entry), then here:

    pulumi package add ../..     # or: pulumi package add https://github.com/<org>/pulumi-druid@v0.1.0
                                 # generates the Python SDK `pulumi_druid` in sdks/druid and adds it
                                 # to requirements.txt and to Pulumi.yaml's `packages:`
    pulumi stack init dev
    pulumi config set region eu-west-1
    pulumi config set --secret kubeconfig "$(cat ~/.kube/config)"
    pulumi config set vpcId vpc-0123456789abcdef0
    pulumi config set --path 'privateSubnetIds[0]' subnet-0aaaaaaaaaaaaaaa1
    pulumi config set --path 'privateSubnetIds[1]' subnet-0bbbbbbbbbbbbbbb2
    pulumi config set nodeSecurityGroupId sg-0123456789abcdef0
    pulumi config set oidcProviderArn arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE
    pulumi config set oidcProviderUrl https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE
    pulumi up

The component runs in Node.js (the plugin in ../..); Python only describes it. Arguments are the
TypeScript ones in snake_case (deepStorage -> deep_storage), given as dicts with snake_case keys.
"""

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s
import pulumi_druid as druid

config = pulumi.Config()

# Explicit providers, handed to the component with `providers`: every AWS and Kubernetes resource
# inside the cluster uses them (the component passes them on to its children).
aws_provider = aws.Provider("aws", region=config.get("region") or "eu-west-1")
k8s_provider = k8s.Provider("eks", kubeconfig=config.require_secret("kubeconfig"))

cluster = druid.DruidCluster(
    "druid",
    deep_storage={
        "oidc_provider_arn": config.require("oidcProviderArn"),
        "oidc_provider_url": config.require("oidcProviderUrl"),
    },
    metadata_store={
        "vpc_id": config.require("vpcId"),
        "subnet_ids": config.require_object("privateSubnetIds"),
        "allowed_security_group_ids": [config.require("nodeSecurityGroupId")],
    },
    # Enums (RouterServiceType, S3AccessMode, ...) are string enums: the plain value works too.
    query={"router": {"service_type": "ClusterIP"}},
    data={"historical_tiers": [{"name": "default", "volume_size": "100Gi"}]},
    opts=pulumi.ResourceOptions(providers={"aws": aws_provider, "kubernetes": k8s_provider}),
)

pulumi.export("routerUrl", cluster.router_url)
pulumi.export("bucketName", cluster.bucket_name)
