import { DruidArgumentError } from "../core/errors";

// A SecretKeyRef argument (auth.oidc.clientSecret, auth.ldap.bindPassword): the secret stays in
// its Kubernetes Secret, and the component only names it. A value given in its place, plain or as a
// Pulumi secret (over Construct a secret may arrive as a bare string), is refused without being
// shown in the error.

/** What to give instead of a secret value. */
export const plainSecretHint = "give a reference to a key of an existing Kubernetes Secret in the cluster's namespace, { name: \"<secret>\", key: \"<key>\" }, " +
    "never the secret itself (kubectl create secret generic <secret> --from-literal=<key>=...): the pods read it as an environment variable";

/** The error for a secret value where a SecretKeyRef is required. */
export function plainSecretError(argument: string): DruidArgumentError {
    return new DruidArgumentError(argument, "a plain-text value (not shown)", `must not be the secret itself: ${plainSecretHint}`);
}
