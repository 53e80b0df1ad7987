/**
 * OSIS error answers. The spec's OsisError is `{"code", "message"}`; the reference
 * implementation also answers in its web framework's own shape (not an OsisError), notably
 * for an unknown user, so clients must not assume either.
 */
import { STATUS_CODES } from "node:http";
import {
  isJsonContentType,
  jsonResponse,
  parseJsonBody,
  type SimulatorRequest,
  type SimulatorResponse,
} from "../common/http-exchange.ts";

export function osisError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): SimulatorResponse {
  return jsonResponse(status, { code, message }, headers);
}

/** "E_BAD_REQUEST", "E_NOT_FOUND", "E_SERVICE_UNAVAILABLE", ... */
export function osisCodeFor(status: number): string {
  const reason = STATUS_CODES[status] ?? `STATUS ${status}`;
  return `E_${reason
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")
    .replace(/^_|_$/g, "")}`;
}

/** What a fault or an unknown path answers with only a status to go on. */
export function osisErrorFor(
  status: number,
  message: string,
  _operation: string,
): SimulatorResponse {
  return osisError(status, osisCodeFor(status), message);
}

/** The framework's default error body (Spring Boot style), as the reference implementation sends. */
export function frameworkError(status: number, message: string, path: string): SimulatorResponse {
  return jsonResponse(status, {
    timestamp: new Date().toISOString(),
    status,
    error: STATUS_CODES[status] ?? "Error",
    message,
    path,
  });
}

/** 501: the platform does not offer the operation. */
export function notImplemented(operation: string): SimulatorResponse {
  return osisError(501, "E_NOT_IMPLEMENTED", `${operation} is not supported by this platform`);
}

/**
 * A JSON body of one of OSIS's models, or the 400/415 answer saying why it is not one
 * (`problemsOf` lists what is wrong with it; empty when it is one).
 */
export function readOsisBody<T>(
  request: SimulatorRequest,
  problemsOf: (value: unknown) => string[],
): { ok: true; value: T } | { ok: false; answer: SimulatorResponse } {
  if (!isJsonContentType(request.headers["content-type"])) {
    return {
      ok: false,
      answer: frameworkError(415, "Content type must be application/json", request.path),
    };
  }
  const parsed = parseJsonBody(request.body);
  if (!parsed.ok) return { ok: false, answer: osisError(400, "E_BAD_REQUEST", parsed.problem) };
  const problems = problemsOf(parsed.value);
  if (problems.length > 0) {
    return { ok: false, answer: osisError(400, "E_BAD_REQUEST", problems.join("; ")) };
  }
  return { ok: true, value: parsed.value as T };
}
