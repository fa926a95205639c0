import * as pulumi from "@pulumi/pulumi";
import { DeepStorageSettings, PolicyStatement } from "../args";
import { DruidArgumentError } from "../core/errors";
import { checkInput, isDeferred } from "../core/validate-input";
import { shapeOf } from "./validate";

// Extra AWS access for the Druid pods (`deepStorage.extraPolicyStatements`, `managedPolicyArns`),
// checked like the component's own deep-storage policy before anything is registered, and turned
// into IAM policy JSON shapes for aws/deep-storage.ts. The grammar is the IAM User Guide's
// (reference_policies_grammar.html, "The policy language grammar"; reference_policies_elements_action.html,
// reference_policies_elements_resource.html, reference_policies_elements_condition_operators.html).

/** One extra statement in IAM's JSON shape; Resource entries may be other resources' outputs (checked when they resolve). */
export interface IamStatementPlan {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource: pulumi.Input<string>[];
    Condition?: Record<string, Record<string, string[]>>;
}

/** The pods' extra IAM: an inline policy (its JSON; undefined without statements) and managed policies to attach. */
export interface ExtraIamPlan {
    extraPolicy?: pulumi.Input<string>;
    managedPolicyArns: pulumi.Input<string>[];
}

/**
 * Most managed policies per role and per user: the highest quota AWS grants (IAM quotas,
 * reference_iam-quotas.html: 10 by default, raisable to 25 for a role and 20 for a user). Between
 * 10 and these, the account's quota decides (AWS refuses the attachment beyond it).
 */
export const maxManagedPolicies = { role: 25, user: 20 } as const;

/** `service:Action` with `*` and `?` wildcards in the action name (a service prefix has none), or `*`. */
const actionPattern = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;
/** arn:partition:service:region:account:resource (region and account may be empty, as for S3), or `*`. */
const resourcePattern = /^(\*|arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*|\*):[a-z0-9*?-]+:[a-z0-9*?-]*:(\d{12}|aws|[0-9*?]*):\S+)$/;
/** IAM condition operators, with the `IfExists` suffix and the set-operator prefixes. */
const conditionOperators = [
    "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
    "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
    "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
    "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike",
];
const conditionPattern = new RegExp(`^((ForAllValues|ForAnyValue):)?(${conditionOperators.join("|")})(IfExists)?$|^Null$`);
/** A managed policy: an AWS one (account "aws") or a customer one. */
const managedPolicyPattern = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/;

function checkStringList(argument: string, value: unknown, what: string): string[] {
    if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== "string")) {
        throw new DruidArgumentError(argument, shapeOf(value), `must be a non-empty list of ${what}`);
    }
    return value as string[];
}

function checkResource(argument: string, value: string): string {
    if (typeof value !== "string" || !resourcePattern.test(value)) {
        throw new DruidArgumentError(argument, value,
            "must be \"*\" or an ARN arn:<partition>:<service>:<region>:<account>:<resource> such as \"arn:aws:s3:::team-input/*\" or \"arn:aws:kinesis:eu-west-1:123456789012:stream/events\"");
    }
    return value;
}

function checkManagedPolicyArn(argument: string, value: string): string {
    if (typeof value !== "string" || !managedPolicyPattern.test(value)) {
        throw new DruidArgumentError(argument, value,
            "must be an IAM managed policy ARN such as \"arn:aws:iam::123456789012:policy/druid-ingestion\" or \"arn:aws:iam::aws:policy/AmazonKinesisReadOnlyAccess\"");
    }
    return value;
}

function checkStatement(argument: string, s: PolicyStatement, sids: Set<string>): IamStatementPlan {
    if (s === null || typeof s !== "object" || Array.isArray(s)) throw new DruidArgumentError(argument, shapeOf(s), "must be an object with actions and resources");
    if (s.sid !== undefined) {
        if (typeof s.sid !== "string" || !/^[A-Za-z0-9]+$/.test(s.sid)) throw new DruidArgumentError(`${argument}.sid`, s.sid, "must be letters and digits only (IAM's Sid)");
        if (sids.has(s.sid)) throw new DruidArgumentError(`${argument}.sid`, s.sid, "is the sid of another statement: a policy's Sids must be unique");
        sids.add(s.sid);
    }
    const effect = s.effect ?? "Allow";
    if (effect !== "Allow" && effect !== "Deny") throw new DruidArgumentError(`${argument}.effect`, effect, "must be \"Allow\" or \"Deny\"");
    const actions = checkStringList(`${argument}.actions`, s.actions, "IAM actions such as \"s3:GetObject\"");
    actions.forEach((a, i) => {
        if (!actionPattern.test(a)) {
            throw new DruidArgumentError(`${argument}.actions[${i}]`, a,
                "must be an IAM action service:Action, with '*' and '?' wildcards in the action name only (\"s3:GetObject\", \"kinesis:Get*\", \"kafka-cluster:*\")");
        }
    });
    if (!Array.isArray(s.resources) || s.resources.length === 0) {
        throw new DruidArgumentError(`${argument}.resources`, shapeOf(s.resources), "must be a non-empty list of resource ARNs (or \"*\")");
    }
    const resources = s.resources.map((r, i) => isDeferred(r) ? checkInput(r, (v) => checkResource(`${argument}.resources[${i}]`, v)) : checkResource(`${argument}.resources[${i}]`, r));
    if (effect === "Allow" && actions.includes("*") && s.resources.includes("*")) {
        throw new DruidArgumentError(argument, "actions [\"*\"] on resources [\"*\"]",
            "would give the Druid pods every AWS permission: name the actions and resources the pods need, or attach a managed policy by its ARN (managedPolicyArns, e.g. arn:aws:iam::aws:policy/AdministratorAccess) to ask for it by name");
    }
    let condition: IamStatementPlan["Condition"];
    if (s.conditions !== undefined) {
        if (!Array.isArray(s.conditions)) throw new DruidArgumentError(`${argument}.conditions`, shapeOf(s.conditions), "must be a list of { test, variable, values }");
        condition = {};
        s.conditions.forEach((c, i) => {
            const at = `${argument}.conditions[${i}]`;
            if (c === null || typeof c !== "object") throw new DruidArgumentError(at, shapeOf(c), "must be an object { test, variable, values }");
            if (typeof c.test !== "string" || !conditionPattern.test(c.test)) {
                throw new DruidArgumentError(`${at}.test`, c.test,
                    "must be an IAM condition operator (StringEquals, StringLike, ArnLike, IpAddress, Bool, NumericLessThan, DateGreaterThan, Null, ...; optional IfExists suffix and ForAllValues:/ForAnyValue: prefix)");
            }
            if (typeof c.variable !== "string" || !/^[A-Za-z0-9-]+:[^\s]+$/.test(c.variable)) {
                throw new DruidArgumentError(`${at}.variable`, c.variable, "must be a condition key service:key, e.g. \"aws:SourceVpce\" or \"s3:prefix\"");
            }
            const values = checkStringList(`${at}.values`, c.values, "strings");
            const byKey = condition![c.test] ?? {};
            if (byKey[c.variable] !== undefined) {
                throw new DruidArgumentError(`${at}.variable`, c.variable, `is given twice with ${c.test}: put every value in one condition (IAM ORs them)`);
            }
            byKey[c.variable] = values;
            condition![c.test] = byKey;
        });
    }
    return { ...(s.sid !== undefined ? { Sid: s.sid } : {}), Effect: effect, Action: actions, Resource: resources, ...(condition !== undefined ? { Condition: condition } : {}) };
}

/** Checks `deepStorage.extraPolicyStatements` and `deepStorage.managedPolicyArns`. */
export function resolveExtraIam(d: DeepStorageSettings, attachedTo: "role" | "user"): ExtraIamPlan {
    const list = d.extraPolicyStatements ?? [];
    if (!Array.isArray(list)) throw new DruidArgumentError("deepStorage.extraPolicyStatements", shapeOf(list), "must be a list of policy statements");
    const sids = new Set<string>();
    const statements = list.map((s, i) => checkStatement(`deepStorage.extraPolicyStatements[${i}]`, s, sids));
    const arns = d.managedPolicyArns ?? [];
    if (!Array.isArray(arns)) throw new DruidArgumentError("deepStorage.managedPolicyArns", shapeOf(arns), "must be a list of IAM managed policy ARNs");
    if (arns.length > maxManagedPolicies[attachedTo]) {
        throw new DruidArgumentError("deepStorage.managedPolicyArns", `${arns.length} ARNs`,
            `must hold at most ${maxManagedPolicies[attachedTo]} ARNs: AWS attaches at most ${maxManagedPolicies.role} managed policies to a role and ${maxManagedPolicies.user} to a user (10 unless the account's quota was raised)`);
    }
    const seen = new Set<string>();
    const managedPolicyArns = arns.map((a, i) => {
        const argument = `deepStorage.managedPolicyArns[${i}]`;
        if (isDeferred(a)) return checkInput(a, (v) => checkManagedPolicyArn(argument, v));
        const arn = checkManagedPolicyArn(argument, a);
        if (seen.has(arn)) throw new DruidArgumentError(argument, arn, "is given twice");
        seen.add(arn);
        return arn;
    });
    if (statements.length === 0) return { managedPolicyArns };
    // Plain when every resource is; otherwise an Output that fails with the check's error.
    const document = (resolved: string[][]) => JSON.stringify({
        Version: "2012-10-17", Statement: statements.map((st, i) => ({ ...st, Resource: resolved[i] })),
    });
    const deferred = statements.some((st) => st.Resource.some(isDeferred));
    const extraPolicy = deferred
        ? pulumi.all(statements.map((st) => pulumi.all(st.Resource))).apply((r) => document(r))
        : document(statements.map((st) => st.Resource as string[]));
    return { extraPolicy, managedPolicyArns };
}
