/**
 * A `.properties` writer that produces exactly what `java.util.Properties.load` reads back,
 * in a deterministic order (keys sorted), so two runs give byte-identical files.
 */

/** A properties map: property name to value. */
export type PropertyMap = Record<string, string>;

function escape(text: string, isKey: boolean): string {
    let out = "";
    for (let i = 0; i < text.length; i++) {
        const ch = text.charAt(i);
        const code = text.charCodeAt(i);
        switch (ch) {
            case "\\": out += "\\\\"; continue;
            case "\t": out += "\\t"; continue;
            case "\n": out += "\\n"; continue;
            case "\r": out += "\\r"; continue;
            case "\f": out += "\\f"; continue;
            case "=": case ":": case "#": case "!": out += "\\" + ch; continue;
            case " ":
                // Properties.store escapes every space in a key, and only a leading space in a value.
                out += isKey || i === 0 ? "\\ " : " ";
                continue;
        }
        if (code < 0x20 || code > 0x7e) {
            // Non-ASCII as \uXXXX (UTF-16 code units, so astral characters become a surrogate pair,
            // which Java reassembles), making the file readable whatever charset Druid opens it with.
            out += "\\u" + code.toString(16).toUpperCase().padStart(4, "0");
            continue;
        }
        out += ch;
    }
    return out;
}

/** Serializes a property map; keys sorted by code unit, one `key=value` line each. */
export function serializeProperties(props: PropertyMap, header?: string): string {
    const lines: string[] = [];
    if (header !== undefined) {
        for (const line of header.split("\n")) {
            lines.push(`# ${line}`);
        }
    }
    for (const key of Object.keys(props).sort()) {
        lines.push(`${escape(key, true)}=${escape(props[key], false)}`);
    }
    return lines.join("\n") + "\n";
}

/**
 * Parses a `.properties` text the way `java.util.Properties.load` does (comments, continuation
 * lines, `=`/`:`/whitespace separators, escapes). Used to read rendered files back.
 */
export function parseProperties(text: string): PropertyMap {
    const result: PropertyMap = {};
    const rawLines = text.split(/\r\n|\r|\n/);
    let i = 0;
    while (i < rawLines.length) {
        let line = rawLines[i++].replace(/^[ \t\f]+/, "");
        if (line === "" || line.startsWith("#") || line.startsWith("!")) {
            continue;
        }
        // A line ending in an odd number of backslashes continues on the next one.
        while (/(^|[^\\])(\\\\)*\\$/.test(line) && i <= rawLines.length) {
            line = line.slice(0, -1) + (rawLines[i++] ?? "").replace(/^[ \t\f]+/, "");
        }
        let keyEnd = 0;
        let escaped = false;
        for (; keyEnd < line.length; keyEnd++) {
            const ch = line[keyEnd];
            if (escaped) { escaped = false; continue; }
            if (ch === "\\") { escaped = true; continue; }
            if (ch === "=" || ch === ":" || ch === " " || ch === "\t" || ch === "\f") break;
        }
        let valueStart = keyEnd;
        while (valueStart < line.length && /[ \t\f]/.test(line[valueStart])) valueStart++;
        if (valueStart < line.length && (line[valueStart] === "=" || line[valueStart] === ":")) {
            valueStart++;
            while (valueStart < line.length && /[ \t\f]/.test(line[valueStart])) valueStart++;
        }
        result[unescape(line.slice(0, keyEnd))] = unescape(line.slice(valueStart));
    }
    return result;
}

function unescape(text: string): string {
    let out = "";
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (ch !== "\\" || i + 1 >= text.length) {
            if (ch !== "\\") out += ch;
            continue;
        }
        const next = text[++i];
        switch (next) {
            case "t": out += "\t"; break;
            case "n": out += "\n"; break;
            case "r": out += "\r"; break;
            case "f": out += "\f"; break;
            case "u": {
                const hex = text.slice(i + 1, i + 5);
                if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
                    throw new Error(`Malformed \\uxxxx encoding: "\\u${hex}"`);
                }
                out += String.fromCharCode(parseInt(hex, 16));
                i += 4;
                break;
            }
            default: out += next;
        }
    }
    return out;
}
