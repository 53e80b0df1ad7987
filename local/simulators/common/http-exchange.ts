/**
 * The simulators' view of one HTTP exchange: a request already read in full, and an answer
 * described as data, so the fault machinery can decide to send it, delay it or drop it.
 */
import type { IncomingHttpHeaders } from "node:http";

export interface SimulatorRequest {
  method: string;
  /** The URL path, without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Named segments of the matched route (already URI-decoded). */
  params: Readonly<Record<string, string>>;
  body: string;
}

export interface SimulatorResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export function jsonResponse(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): SimulatorResponse {
  return {
    status,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(value),
  };
}

export function emptyResponse(
  status: number,
  headers: Record<string, string> = {},
): SimulatorResponse {
  return { status, headers };
}

export function isJsonContentType(header: string | undefined): boolean {
  const mediaType = header?.split(";")[0]?.trim().toLowerCase();
  return mediaType === "application/json" || (mediaType?.endsWith("+json") ?? false);
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; problem: string };

export function parseJsonBody(body: string): JsonBody {
  if (body.trim() === "") return { ok: false, problem: "the request body is empty" };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return { ok: false, problem: "the request body is not valid JSON" };
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A content type for a raw body a test supplied without saying what it is. */
export function guessContentType(body: string): string {
  const start = body.trimStart();
  if (start.startsWith("<")) return "text/html";
  try {
    JSON.parse(body);
    return "application/json";
  } catch {
    return "text/plain";
  }
}
