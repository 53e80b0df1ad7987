/**
 * The control surface over HTTP, under the reserved prefix /__simulator (see the README).
 * Control routes need no auth, are never rate limited or faulted, and are not logged as
 * platform calls.
 */
import type { CallLog } from "./call-log.ts";
import type { FaultInjector, FaultRule, OutageMode, RandomFaultOptions } from "./fault-injector.ts";
import {
  isPlainObject,
  jsonResponse,
  parseJsonBody,
  type SimulatorRequest,
  type SimulatorResponse,
} from "./http-exchange.ts";
import { matchRoute, type Route, segmentsOf } from "./route-table.ts";

export const CONTROL_PREFIX = "/__simulator";

/** How a simulator exposes its users to the control surface. */
export interface SimulatorUsers {
  /** Seeds one user from a JSON body; throws a TypeError on a bad one. */
  seed(input: unknown): unknown;
  list(): unknown[];
  /** `key` is the path after /__simulator/users/, split on "/" and decoded. */
  get(key: string[]): unknown;
  /** A hand edit; undefined when there is no such user. */
  edit(key: string[], patch: unknown): unknown;
}

export interface ControlTarget {
  faults: FaultInjector;
  calls: CallLog;
  users: SimulatorUsers;
  /** Routes of one simulator only, paths relative to /__simulator. */
  extraRoutes: readonly Route[];
}

export function isControlPath(path: string): boolean {
  return path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);
}

export function handleControl(request: SimulatorRequest, target: ControlTarget): SimulatorResponse {
  const path = request.path.slice(CONTROL_PREFIX.length) || "/";
  try {
    const usersAnswer = handleUsers(request, path, target.users);
    if (usersAnswer !== undefined) return usersAnswer;
    const routes = [...commonRoutes(target), ...target.extraRoutes];
    const match = matchRoute(routes, request.method, path);
    if (match.kind === "match") return match.route.handle({ ...request, params: match.params });
    if (match.kind === "method-not-allowed") {
      return jsonResponse(
        405,
        { error: `allowed: ${match.allowed.join(", ")}` },
        {
          allow: match.allowed.join(", "),
        },
      );
    }
    return jsonResponse(404, { error: `no control route ${request.method} ${request.path}` });
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError || error instanceof URIError) {
      return jsonResponse(400, { error: error.message });
    }
    throw error;
  }
}

function handleUsers(
  request: SimulatorRequest,
  path: string,
  users: SimulatorUsers,
): SimulatorResponse | undefined {
  const [first, ...key] = segmentsOf(path);
  if (first !== "users") return undefined;
  const decodedKey = key.map((segment) => decodeURIComponent(segment));
  if (decodedKey.length === 0 || (decodedKey.length === 1 && decodedKey[0] === "")) {
    if (request.method === "GET") return jsonResponse(200, { items: users.list() });
    if (request.method === "POST") return jsonResponse(201, users.seed(jsonBody(request)));
    return jsonResponse(405, { error: "allowed: GET, POST" }, { allow: "GET, POST" });
  }
  let user: unknown;
  if (request.method === "GET") user = users.get(decodedKey);
  else if (request.method === "PATCH") user = users.edit(decodedKey, jsonBody(request));
  else return jsonResponse(405, { error: "allowed: GET, PATCH" }, { allow: "GET, PATCH" });
  if (user === undefined) return jsonResponse(404, { error: `no user ${decodedKey.join("/")}` });
  return jsonResponse(200, user);
}

function commonRoutes({ faults, calls }: ControlTarget): Route[] {
  return [
    control("GET", "/faults", () =>
      jsonResponse(200, {
        rules: faults.pending().map((rule) => ({
          ...rule,
          times: rule.times === Infinity ? "Infinity" : rule.times,
        })),
        latencyMs: faults.latencyMs,
        rateLimit: faults.rateLimit ?? null,
        outage: faults.outage ?? null,
      }),
    ),
    control("POST", "/faults", (request) => {
      const rule = jsonObject(request);
      faults.add({
        ...(rule as unknown as FaultRule),
        ...(rule.times === "Infinity" ? { times: Infinity } : {}),
      });
      return jsonResponse(201, { rules: faults.pending().length });
    }),
    control("DELETE", "/faults", () => {
      faults.clear();
      return jsonResponse(200, { rules: 0 });
    }),
    control("PUT", "/latency", (request) => {
      const { ms } = jsonObject(request);
      if (typeof ms !== "number") throw new TypeError('latency needs {"ms": <number>}');
      faults.setLatency(ms);
      return jsonResponse(200, { latencyMs: faults.latencyMs });
    }),
    control("PUT", "/rate-limit", (request) => {
      const { perSecond, retryAfterSeconds } = jsonObject(request);
      if (perSecond !== undefined && perSecond !== null && typeof perSecond !== "number") {
        throw new TypeError("perSecond must be a number, or null to switch the limit off");
      }
      if (retryAfterSeconds !== undefined && typeof retryAfterSeconds !== "number") {
        throw new TypeError("retryAfterSeconds must be a number");
      }
      faults.setRateLimit(perSecond ?? undefined, retryAfterSeconds);
      return jsonResponse(200, { rateLimit: faults.rateLimit ?? null });
    }),
    ...outageRoutes(faults),
    control("PUT", "/random", (request) => {
      faults.random(jsonObject(request) as unknown as RandomFaultOptions);
      return jsonResponse(200, { random: true });
    }),
    control("DELETE", "/random", () => {
      faults.random(undefined);
      return jsonResponse(200, { random: false });
    }),
    control("POST", "/reset", () => {
      faults.reset();
      calls.clear();
      return jsonResponse(200, { reset: true });
    }),
    control("GET", "/calls", () =>
      jsonResponse(200, {
        items: calls.all(),
        inFlight: calls.inFlight,
        peakInFlight: calls.peakInFlight,
      }),
    ),
    control("DELETE", "/calls", () => {
      calls.clear();
      return jsonResponse(200, { items: [] });
    }),
    control("DELETE", "/calls/peak", () => {
      calls.resetPeak();
      return jsonResponse(200, { peakInFlight: calls.peakInFlight });
    }),
  ];
}

/**
 * `PUT /outage` (`{"mode", "seconds"}`; no `seconds`: until DELETE) and `DELETE /outage`, paths
 * relative to /__simulator: every simulator's, and the DynamoDB stand-in's own control surface.
 */
export function outageRoutes(faults: FaultInjector): Route[] {
  return [
    control("GET", "/outage", () => jsonResponse(200, { outage: faults.outage ?? null })),
    control("PUT", "/outage", (request) => {
      const { mode, seconds } = jsonObject(request);
      if (seconds !== undefined && typeof seconds !== "number") {
        throw new TypeError("seconds must be a number (leave it out for an outage until DELETE)");
      }
      faults.startOutage(mode as OutageMode, seconds === undefined ? undefined : seconds * 1000);
      return jsonResponse(200, { outage: faults.outage ?? null });
    }),
    control("DELETE", "/outage", () => {
      faults.endOutage();
      return jsonResponse(200, { outage: null });
    }),
  ];
}

function control(method: string, path: string, handle: Route["handle"]): Route {
  return { method, path, operation: "control", handle };
}

function jsonBody(request: SimulatorRequest): unknown {
  const parsed = parseJsonBody(request.body);
  if (!parsed.ok) throw new TypeError(parsed.problem);
  return parsed.value;
}

function jsonObject(request: SimulatorRequest): Record<string, unknown> {
  const value = jsonBody(request);
  if (!isPlainObject(value)) throw new TypeError("the request body must be a JSON object");
  return value;
}
