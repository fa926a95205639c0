// Container image references, by the grammar container runtimes parse them with
// (distribution/reference, reference.go and regexp.go):
//
//   reference  := name [ ":" tag ] [ "@" digest ]
//   name       := [ domain "/" ] path-component [ "/" path-component ]*   (at most 255 characters)
//   domain     := host [ ":" port-number ]
//   host       := domain-name | "[" IPv6 "]";  domain-name := domain-component [ "." domain-component ]*
//   domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
//   path-component   := alpha-numeric [ separator alpha-numeric ]*;  alpha-numeric := /[a-z0-9]+/;  separator := /[_.]|__|[-]+/
//   tag        := /[\w][\w.-]{0,127}/
//   digest     := algorithm ":" hex;  algorithm := /[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*/;  hex := /[0-9a-fA-F]{32,}/
//
// The first path element is the registry only when it holds a "." or ":" or is "localhost"
// (reference/normalize.go, splitDockerDomain); otherwise it is part of the path (Docker Hub).

const domainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const host = `(?:${domainName}|\\[[a-fA-F0-9:]+\\])`;
const domain = `${host}(?::[0-9]+)?`;
const pathComponent = "[a-z0-9]+(?:(?:[_.]|__|[-]+)[a-z0-9]+)*";
const path = `${pathComponent}(?:/${pathComponent})*`;
const tag = "[\\w][\\w.-]{0,127}";
const digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

const nameRe = new RegExp(`^(?:(${domain})/)?(${path})$`);
const referenceRe = new RegExp(`^((?:${domain}/)?${path})(?::(${tag}))?(?:@(${digest}))?$`);

/** A parsed image reference. */
export interface ImageReference {
    /** Repository, registry included: "registry.example.com:5000/zookeeper". */
    name: string;
    tag?: string;
    digest?: string;
}

/** Whether a repository name (no tag, no digest) is valid: "apache/druid", "registry.example.com:5000/druid". */
export function isImageName(text: string): boolean {
    if (typeof text !== "string" || text.length > 255) return false;
    const m = nameRe.exec(text);
    // A first element without "." or ":" (and not "localhost") is a path component: it must be lower-case.
    return m !== null && (m[1] === undefined || /[.:]/.test(m[1]) || m[1] === "localhost" || /^[a-z0-9]+(?:(?:[_.]|__|[-]+)[a-z0-9]+)*$/.test(m[1]));
}

/** Parses `name[:tag][@digest]`; undefined when the text is not an image reference. */
export function parseImageReference(text: string): ImageReference | undefined {
    if (typeof text !== "string") return undefined;
    const m = referenceRe.exec(text);
    if (m === null || !isImageName(m[1])) return undefined;
    return { name: m[1], tag: m[2], digest: m[3] };
}

/**
 * The version an image reference names, for the `app.kubernetes.io/version` label: its tag (what
 * follows the last ":" after the last "/", so a registry's port is never taken for it), or for a
 * reference pinned by digest only, the digest's first 12 hex digits; "latest" when it has neither
 * (what the runtime pulls then).
 */
export function imageVersion(ref: ImageReference): string {
    if (ref.tag !== undefined) return ref.tag;
    if (ref.digest !== undefined) return ref.digest.split(":")[1].slice(0, 12);
    return "latest";
}
