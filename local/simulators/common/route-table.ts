/**
 * Operation routing: every platform call is named by the operation it invokes (the names the
 * fault rules and the call log use). Patterns are plain paths with `:name` segments.
 */
import type { SimulatorRequest, SimulatorResponse } from "./http-exchange.ts";

export interface Route {
  method: string;
  /** e.g. "/api/2/users/:id" */
  path: string;
  operation: string;
  /** A write changes state: a "reset" random fault may drop its answer after applying it. */
  write?: boolean;
  handle(request: SimulatorRequest): SimulatorResponse;
}

export type RouteMatch =
  | { kind: "match"; route: Route; params: Record<string, string> }
  | { kind: "method-not-allowed"; allowed: string[] }
  | { kind: "none" };

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params === undefined) continue;
    if (route.method === method) return { kind: "match", route, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: "method-not-allowed", allowed } : { kind: "none" };
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = segmentsOf(pattern);
  const got = segmentsOf(path);
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const actual = got[i] ?? "";
    if (segment.startsWith(":")) {
      if (actual === "") return undefined;
      const decoded = decodeSegment(actual);
      if (decoded === undefined) return undefined;
      params[segment.slice(1)] = decoded;
    } else if (segment !== actual) {
      return undefined;
    }
  }
  return params;
}

/** "/a/b%2Fc" → ["a", "b%2Fc"] (still encoded). */
export function segmentsOf(path: string): string[] {
  return path.split("/").slice(1);
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
