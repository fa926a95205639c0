import assert from "node:assert/strict";
import * as http from "node:http";
import { AddressInfo } from "node:net";

// A local server playing the Coordinator's druid-basic-security API with state, for the access
// Job's script (tests/access.test.ts, tests/examples.test.ts). Its answers follow apache/druid
// extensions-core/druid-basic-security (stored revisions, not the druid-37.0.0 tag, which this
// machine cannot resolve):
//   - authorization/endpoint/BasicAuthorizerResource.java (c87fb1334874196681fa12618301ad184a7c9852): the paths
//     and methods, `?simplifyPermissions` on GET roles/{r} and users/{u};
//   - authorization/endpoint/CoordinatorBasicAuthorizerResourceHandler.java (042766f1cc23564df92c5f4a024ac1250fdc5b60):
//     getAllRoles/getAllUsers/getAllGroupMappings answer the names (`Response.ok(map.keySet())`); getUserSimple
//     the user {"name","roles"}; getGroupMappingSimple {"name","groupPattern","roles"}; every
//     BasicSecurityDBResourceException is 400 {"error": message} (makeResponseForBasicSecurityDBResourceException),
//     with "Role [%s] does not exist.", "User [%s] does not exist.", "Group mapping [%s] does not exist."; an
//     unknown authorizer 400 "Basic authorizer with name [%s] does not exist." (makeResponseForAuthorizerNotFound);
//     the "already exists"/"already has role" messages come from the metadata storage updater, modelled by meaning;
//   - server/src/main/java/org/apache/druid/server/StatusResource.java (108aea4c53e966038731ccdf56af0021baa56acc):
//     GET /status needs authentication, then STATE READ (@ResourceFilters(StateResourceFilter.class)): 401 for wrong
//     credentials, 403 for a user without STATE READ (modelled for every user but druid_system);
//   - docs/development/extensions-core/druid-basic-security.md: the simplified permission shape
//     {"resource":{"name","type"},"action"} and `users: null` without `?full`; POST credentials {"password"}.

export type Perm = { resource: { name: string; type: string }; action: string };
export interface Authz { roles: Map<string, Perm[]>; users: Map<string, Set<string>>; groups: Map<string, { groupPattern: string; roles: Set<string> }> }
export interface Seen { method: string; url: string; body: string; headers: http.IncomingHttpHeaders }

/** Druid's state after its first start: role admin (every permission) given to admin and druid_system, in every authorizer. */
export function freshAuthz(): Authz {
    const all: Perm[] = ["DATASOURCE", "STATE", "CONFIG"].flatMap((type) => ["READ", "WRITE"].map((action) => ({ resource: { name: ".*", type }, action })));
    return { roles: new Map([["admin", all]]), users: new Map([["admin", new Set(["admin"])], ["druid_system", new Set(["admin"])]]), groups: new Map() };
}

export class FakeCoordinator {
    authz = new Map<string, Authz>([["MetadataStoreAuthorizer", freshAuthz()], ["LdapAuthorizer", freshAuthz()]]);
    accounts: Map<string, string | undefined>;
    seen: Seen[] = [];
    /** A hook answering before the model (e.g. to refuse a request). */
    refuse?: (s: Seen) => [number, string] | undefined;
    private server?: http.Server;
    url = "";

    /** `internalPassword`: druid_system's password, the one the Job authenticates with. */
    constructor(internalPassword: string) {
        this.accounts = new Map<string, string | undefined>([["admin", "adminpw"], ["druid_system", internalPassword]]);
    }

    start(): Promise<void> {
        this.server = http.createServer((req, res) => {
            let body = "";
            req.on("data", (c: Buffer) => { body += c.toString("utf8"); });
            req.on("end", () => {
                const s: Seen = { method: req.method ?? "", url: req.url ?? "", body, headers: req.headers };
                this.seen.push(s);
                const [status, answer] = this.refuse?.(s) ?? this.handle(s);
                res.writeHead(status, answer === "" ? {} : { "Content-Type": "application/json" });
                res.end(answer);
            });
        });
        return new Promise((resolve) => this.server!.listen(0, "127.0.0.1", () => {
            this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
            resolve();
        }));
    }

    stop(): Promise<void> {
        return new Promise((done) => this.server!.close(() => done()));
    }

    /** The basic-auth user whose password is right, or undefined. */
    private who(s: Seen): string | undefined {
        const h = s.headers.authorization;
        if (h === undefined || !h.startsWith("Basic ")) return undefined;
        const [user, ...rest] = Buffer.from(h.slice(6), "base64").toString("utf8").split(":");
        const pw = rest.join(":");
        return this.accounts.has(user) && this.accounts.get(user) === pw ? user : undefined;
    }

    private handle(s: Seen): [number, string] {
        const ok = (v?: unknown): [number, string] => [200, v === undefined ? "" : JSON.stringify(v)];
        const bad = (m: string): [number, string] => [400, JSON.stringify({ error: m })];
        const user = this.who(s);
        if (user === undefined) return [401, ""];
        const [p, query] = s.url.split("?");
        if (p === "/status") return user === "druid_system" ? ok({ version: "37.0.0" }) : [403, ""];
        if (user !== "druid_system") return [403, ""];
        let m = /^\/druid-ext\/basic-security\/authentication\/db\/MetadataStoreAuthenticator\/users(?:\/([^/]+)(\/credentials)?)?$/.exec(p);
        if (m !== null) {
            const [, u, cred] = m;
            if (u === undefined && s.method === "GET") return ok([...this.accounts.keys()]);
            if (cred !== undefined && s.method === "POST") {
                if (!this.accounts.has(u)) return bad(`User [${u}] does not exist.`);
                this.accounts.set(u, (JSON.parse(s.body) as { password: string }).password);
                return ok();
            }
            if (s.method === "POST") { if (this.accounts.has(u)) return bad(`User [${u}] already exists.`); this.accounts.set(u, undefined); return ok(); }
            if (s.method === "DELETE") { if (!this.accounts.has(u)) return bad(`User [${u}] does not exist.`); this.accounts.delete(u); return ok(); }
            return [405, ""];
        }
        m = /^\/druid-ext\/basic-security\/authorization\/db\/([^/]+)\/(roles|users|groupMappings)(?:\/([^/]+)(?:\/(permissions|roles)(?:\/([^/]+))?)?)?$/.exec(p);
        if (m === null) return [404, ""];
        const [, a, kind, name, sub, role] = m;
        const z = this.authz.get(a);
        if (z === undefined) return bad(`Basic authorizer with name [${a}] does not exist.`);
        if (name === undefined) {
            if (s.method !== "GET") return [405, ""];
            return ok([...(kind === "roles" ? z.roles : kind === "users" ? z.users : z.groups).keys()]);
        }
        if (kind === "roles") {
            if (sub === "permissions") {
                if (!z.roles.has(name)) return bad(`Role [${name}] does not exist.`);
                if (s.method === "POST") { z.roles.set(name, JSON.parse(s.body) as Perm[]); return ok(); }
                return ok(z.roles.get(name));
            }
            if (s.method === "GET") {
                if (!z.roles.has(name)) return bad(`Role [${name}] does not exist.`);
                assert.equal(query, "simplifyPermissions", "the script reads permissions in the simplified shape");
                return ok({ name, users: null, permissions: z.roles.get(name) });
            }
            if (s.method === "POST") { if (z.roles.has(name)) return bad(`Role [${name}] already exists.`); z.roles.set(name, []); return ok(); }
            if (s.method === "DELETE") {
                if (!z.roles.has(name)) return bad(`Role [${name}] does not exist.`);
                z.roles.delete(name);
                for (const r of z.users.values()) r.delete(name);
                for (const g of z.groups.values()) g.roles.delete(name);
                return ok();
            }
            return [405, ""];
        }
        const label = kind === "users" ? "User" : "Group mapping";
        const roles = (): Set<string> | undefined => (kind === "users" ? z.users.get(name) : z.groups.get(name)?.roles);
        if (sub === "roles" && role !== undefined) {
            const rs = roles();
            if (rs === undefined) return bad(`${label} [${name}] does not exist.`);
            if (!z.roles.has(role)) return bad(`Role [${role}] does not exist.`);
            if (s.method === "POST") { if (rs.has(role)) return bad(`${label} [${name}] already has role [${role}].`); rs.add(role); return ok(); }
            if (s.method === "DELETE") { if (!rs.has(role)) return bad(`${label} [${name}] does not have role [${role}].`); rs.delete(role); return ok(); }
            return [405, ""];
        }
        const exists = kind === "users" ? z.users.has(name) : z.groups.has(name);
        if (s.method === "GET") {
            if (!exists) return bad(`${label} [${name}] does not exist.`);
            return kind === "users" ? ok({ name, roles: [...z.users.get(name)!] })
                : ok({ name, groupPattern: z.groups.get(name)!.groupPattern, roles: [...z.groups.get(name)!.roles] });
        }
        if (s.method === "POST") {
            if (exists) return bad(`${label} [${name}] already exists.`);
            if (kind === "users") z.users.set(name, new Set());
            else {
                const g = JSON.parse(s.body) as { groupPattern: string; roles: string[] };
                z.groups.set(name, { groupPattern: g.groupPattern, roles: new Set(g.roles) });
            }
            return ok();
        }
        if (s.method === "DELETE") {
            if (!exists) return bad(`${label} [${name}] does not exist.`);
            if (kind === "users") z.users.delete(name); else z.groups.delete(name);
            return ok();
        }
        return [405, ""];
    }

    /** The state as plain data, sets sorted. */
    snapshot(a: string): { roles: Record<string, string[]>; users: Record<string, string[]>; groups: Record<string, { groupPattern: string; roles: string[] }> } {
        const z = this.authz.get(a)!;
        const line = (x: Perm) => `${x.resource.type} ${x.action} ${x.resource.name}`;
        return {
            roles: Object.fromEntries([...z.roles].map(([n, ps]) => [n, [...new Set(ps.map(line))].sort()])),
            users: Object.fromEntries([...z.users].map(([n, rs]) => [n, [...rs].sort()])),
            groups: Object.fromEntries([...z.groups].map(([n, g]) => [n, { groupPattern: g.groupPattern, roles: [...g.roles].sort() }])),
        };
    }
}
