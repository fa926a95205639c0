import { DruidArgumentError } from "../core/errors";

// Druid compiles a permission's resource name and a group mapping's groupPattern with
// java.util.regex.Pattern (apache/druid extensions-core/druid-basic-security .../authorization/entity/
// BasicAuthorizerPermission.java: `Pattern.compile(resourceAction.getResource().getName())`, a
// PatternSyntaxException refused as "Invalid permission, resource name regex[%s] does not compile.")
// and matches the whole name against it (`matcher(name).matches()`). The plan cannot run Java, so it
// accepts the part of the syntax where Java and JavaScript agree, compiles that with JavaScript, and
// refuses every construct whose meaning differs (tests/access.test.ts compiles the accepted and
// refused examples with the JDK's Pattern to prove both sides).

/** Escapes both read the same way: classes \d \D \w \W (ASCII in both), \n \t \r \f. */
const sameEscapes = new Set(["d", "D", "w", "W", "n", "t", "r", "f"]);

/** `(?` openings both read the same way: non-capturing, lookahead, lookbehind, named group. */
const sameGroups = [/^\(\?:/, /^\(\?[=!]/, /^\(\?<[=!]/, /^\(\?<[A-Za-z][A-Za-z0-9]*>/];

/** What is wrong with `p` as a pattern both engines read alike, or undefined. */
export function javaRegexProblem(p: string): string | undefined {
    if (p.length === 0) return "is empty (it would match only an empty name)";
    if (/[\u0000-\u001f\u007f]/.test(p)) return "holds a control character";
    let inClass = false;
    for (let i = 0; i < p.length; i++) {
        const c = p[i];
        if (c === "\\") {
            const n = p[i + 1];
            if (n === undefined) return "ends with a lone \\";
            if (/[A-Za-z0-9]/.test(n)) {
                if (sameEscapes.has(n)) { i++; continue; }
                if (n === "x" && /^[0-9a-fA-F]{2}$/.test(p.slice(i + 2, i + 4))) { i += 3; continue; }
                if (n === "u" && /^[0-9a-fA-F]{4}$/.test(p.slice(i + 2, i + 6))) { i += 5; continue; }
                if (/[1-9]/.test(n) && !inClass) { i++; continue; }
                return `uses the escape \\${n}, which Java and JavaScript read differently or only one of them knows ` +
                    "(allowed: \\d \\D \\w \\W \\n \\t \\r \\f \\xhh \\uhhhh, back references \\1-\\9, and \\ before any other non-alphanumeric character)";
            }
            i++;
            continue;
        }
        if (inClass) {
            if (c === "]") inClass = false;
            else if (c === "[") return "has a [ inside a character class (a union in Java, a plain character in JavaScript): write \\[";
            else if (c === "&" && p[i + 1] === "&") return "has && inside a character class (an intersection in Java only)";
            continue;
        }
        if (c === "[") {
            inClass = true;
            if (p[i + 1] === "^") i++;
            if (p[i + 1] === "]") return "has [] or [^] (an error in Java, a class in JavaScript)";
            continue;
        }
        if (c === "(" && p[i + 1] === "?") {
            const rest = p.slice(i);
            if (!sameGroups.some((g) => g.test(rest))) return "has a (? construct other than (?: (?= (?! (?<= (?<! (?<name> (inline flags and atomic groups are Java only)";
            continue;
        }
        if (c === "{") {
            const q = /^\{\d+(,\d*)?\}/.exec(p.slice(i));
            if (q === null) return "has a { that is not a repetition {n}, {n,} or {n,m} (an error in Java)";
            i += q[0].length - 1;
            if (p[i + 1] === "+") return "has a possessive quantifier (Java only)";
            continue;
        }
        if ((c === "*" || c === "+" || c === "?") && p[i + 1] === "+") return "has a possessive quantifier (Java only)";
    }
    try {
        new RegExp(p);
    } catch (e) {
        return `does not compile: ${(e as Error).message}`;
    }
    return undefined;
}

/** `p`, or a DruidArgumentError at `argument` saying what is wrong. */
export function checkJavaRegex(argument: string, p: string): string {
    const problem = javaRegexProblem(p);
    if (problem !== undefined) {
        throw new DruidArgumentError(argument, p,
            `must be a regular expression Druid compiles with java.util.regex and matches against the whole name; this one ${problem}`);
    }
    return p;
}
