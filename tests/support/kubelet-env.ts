/**
 * The environment the kubelet gives a container, from its `env` list: literal values with
 * `$(VAR)` references to variables defined EARLIER in the list expanded (an undefined reference
 * stays as written; `$$(VAR)` escapes to `$(VAR)`), and downward-API `fieldRef`s resolved from the
 * pod (Kubernetes docs, "Define Dependent Environment Variables" and "Expose Pod Information to
 * Containers Through Environment Variables"; kubernetes/kubernetes third_party/forked/golang/expansion/expand.go).
 * Variables from Secrets, ConfigMaps and resource fields are left out (none of them names a host).
 */
export interface PodFields {
    name: string;
    namespace: string;
    ip: string;
}

export interface EnvVarLike {
    name: string;
    value?: string;
    valueFrom?: { fieldRef?: { fieldPath: string } };
}

export function kubeletEnv(env: EnvVarLike[], pod: PodFields): Record<string, string> {
    const out: Record<string, string> = {};
    const fields: Record<string, string> = { "metadata.name": pod.name, "metadata.namespace": pod.namespace, "status.podIP": pod.ip };
    for (const e of env) {
        if (e.value !== undefined) {
            out[e.name] = expand(e.value, out);
        } else if (e.valueFrom?.fieldRef !== undefined) {
            const v = fields[e.valueFrom.fieldRef.fieldPath];
            if (v === undefined) throw new Error(`fieldRef ${e.valueFrom.fieldRef.fieldPath} is not modelled`);
            out[e.name] = v;
        }
    }
    return out;
}

/** expand.go's syntax: `$(NAME)` from the map, `$$` a literal `$`, any other `$x` left as written. */
function expand(value: string, vars: Record<string, string>): string {
    let result = "";
    for (let i = 0; i < value.length; i++) {
        const c = value[i];
        if (c !== "$" || i + 1 >= value.length) { result += c; continue; }
        const next = value[i + 1];
        if (next === "$") { result += "$"; i++; continue; }
        if (next === "(") {
            const end = value.indexOf(")", i + 2);
            if (end < 0) { result += value.slice(i); break; }
            const name = value.slice(i + 2, end);
            result += name in vars ? vars[name] : value.slice(i, end + 1);
            i = end;
            continue;
        }
        result += c;
    }
    return result;
}
