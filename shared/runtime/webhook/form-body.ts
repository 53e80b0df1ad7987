import type { ValidationProblem } from "../events/validation.ts";
import type { JsonBody } from "./json-body.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });
/** Deeper keys than any BambooHR body needs are refused rather than built. */
const MAX_DEPTH = 6;

type Node = string | Map<string, Node>;

/**
 * A form-encoded body (`application/x-www-form-urlencoded`) as the JSON value it stands for.
 * Nested values use bracket keys, as PHP's http_build_query writes them:
 * `employees[0][fields][Employee #]=1001`, `data[changedFields][]=status`. An object whose keys
 * are exactly 0…n-1 becomes an array. Keys build own properties only (`__proto__` included).
 */
export function readFormBody(rawBody: Buffer): JsonBody {
  let text: string;
  try {
    text = utf8.decode(rawBody);
  } catch {
    return refuse("is not valid UTF-8");
  }
  const root = new Map<string, Node>();
  for (const [key, value] of new URLSearchParams(text)) {
    const path = keyPath(key);
    if (path === undefined)
      return refuse(`has a key that is not name[part]… : ${JSON.stringify(key.slice(0, 100))}`);
    if (!place(root, path, value))
      return refuse(
        `gives ${JSON.stringify(key.slice(0, 100))} twice, or as both a value and an object`,
      );
  }
  return { ok: true, value: toJson(root) };
}

function refuse(message: string): { ok: false; problems: ValidationProblem[] } {
  return { ok: false, problems: [{ path: "$", message: `is a form body that ${message}` }] };
}

/** `a[b][]` → ["a", "b", ""]; undefined when the key is not of that shape. */
function keyPath(key: string): string[] | undefined {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) return undefined;
  const parts = [
    match[1] ?? "",
    ...[...(match[2] ?? "").matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? ""),
  ];
  return parts.length > MAX_DEPTH ? undefined : parts;
}

function place(node: Map<string, Node>, path: readonly string[], value: string): boolean {
  const [head = "", ...rest] = path;
  // `[]` appends: the next index of the list so far.
  const key = head === "" ? String(node.size) : head;
  const existing = node.get(key);
  if (rest.length === 0) {
    if (existing !== undefined) return false;
    node.set(key, value);
    return true;
  }
  if (typeof existing === "string") return false;
  const child = existing ?? new Map<string, Node>();
  node.set(key, child);
  return place(child, rest, value);
}

function toJson(node: Node): unknown {
  if (typeof node === "string") return node;
  const indexes = [...node.keys()].map((key) => (/^(0|[1-9]\d*)$/.test(key) ? Number(key) : -1));
  if (indexes.length > 0 && indexes.every((index) => index >= 0 && index < indexes.length)) {
    return Array.from({ length: indexes.length }, (_, index) =>
      toJson(node.get(String(index)) as Node),
    );
  }
  return Object.fromEntries([...node.entries()].map(([key, child]) => [key, toJson(child)]));
}
