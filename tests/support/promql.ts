/*
 * PromQL parsing with Prometheus's own grammar: the npm package `@prometheus-io/lezer-promql`
 * (the parser of the Prometheus web UI, published from prometheus/prometheus web/ui/module/lezer-promql).
 *
 * A devDependency ("@prometheus-io/lezer-promql" 0.315.0, with its peer dependency "@lezer/lr").
 */

interface SyntaxNodeRef { name: string; from: number; to: number; type: { isError: boolean } }
interface Tree { iterate(spec: { enter: (node: SyntaxNodeRef) => void; leave: () => void }): void }
interface LezerPromql { parser: { parse(text: string): Tree } }

function load(): LezerPromql {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("@prometheus-io/lezer-promql") as LezerPromql;
}

export interface ParsedPromql {
    /** Positions of syntax errors; empty when the expression parses. */
    errors: number[];
    /** Metric names of every vector selector. */
    metrics: string[];
    /** Every vector selector: its metric name and the label names it matches. */
    selectors: { metric: string; labels: string[] }[];
    /** Function names called. */
    functions: string[];
}

/** Parses one expression; the grammar marks what it cannot parse with error nodes. */
export function parsePromql(expr: string): ParsedPromql {
    const tree = load().parser.parse(expr);
    const out: ParsedPromql = { errors: [], metrics: [], selectors: [], functions: [] };
    const stack: string[] = [];
    tree.iterate({
        enter: (n) => {
            if (n.type.isError) out.errors.push(n.from);
            const text = expr.slice(n.from, n.to);
            if (n.name === "VectorSelector") out.selectors.push({ metric: "", labels: [] });
            const current = out.selectors[out.selectors.length - 1];
            if (n.name === "Identifier" && stack[stack.length - 1] === "VectorSelector") {
                out.metrics.push(text);
                current.metric = text;
            }
            if (n.name === "LabelName" && stack[stack.length - 1]?.endsWith("LabelMatcher")) current.labels.push(text);
            if (n.name === "FunctionIdentifier") out.functions.push(text);
            stack.push(n.name);
        },
        // lezer calls `leave` for every node `enter` saw.
        leave: () => { stack.pop(); },
    });
    return out;
}
