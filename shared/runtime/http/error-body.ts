/**
 * What a platform said in an error body, read without trusting its shape: the account
 * platform's `{"error": {"code", "message"}}`, the token endpoint's `{"error", "error_description"}`,
 * OSIS's `{"code", "message"}`, an HTML page from a proxy, or nothing at all.
 */
export interface ErrorBodySummary {
  /** The platform's error code; numbers are turned into strings (the vendor uses both). */
  code?: string;
  message?: string;
}

const MAX_TEXT = 300;

export function summarizeErrorBody(body: unknown): ErrorBodySummary {
  const parsed = typeof body === "string" ? parseJsonOrText(body) : body;
  if (typeof parsed === "string") {
    const message = shortText(stripMarkup(parsed));
    return message ? { message } : {};
  }
  if (!isRecord(parsed)) return {};

  // Account platform: {"error": {"code": 1001, "message": "..."}}
  if (isRecord(parsed.error)) {
    return compact(codeOf(parsed.error.code), textOf(parsed.error.message));
  }
  // OAuth token endpoint: {"error": "invalid_client", "error_description": "..."}
  if (typeof parsed.error === "string") {
    return compact(codeOf(parsed.error), textOf(parsed.error_description ?? parsed.message));
  }
  // OSIS: {"code": "E_BAD_REQUEST", "message": "..."}
  return compact(codeOf(parsed.code), textOf(parsed.message ?? parsed.error_description));
}

function parseJsonOrText(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch {
      // Not JSON after all: keep it as text.
    }
  }
  return trimmed;
}

function compact(code: string | undefined, message: string | undefined): ErrorBodySummary {
  const summary: ErrorBodySummary = {};
  if (code !== undefined) summary.code = code;
  if (message !== undefined) summary.message = message;
  return summary;
}

function codeOf(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string" && value.trim() !== "") return shortText(value, 64);
  return undefined;
}

function textOf(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  return shortText(value) || undefined;
}

function stripMarkup(text: string): string {
  return text.replace(/<[^>]*>/g, " ");
}

/** One line, bounded: error text ends up in logs and DLQ attributes. */
export function shortText(text: string, max = MAX_TEXT): string {
  const oneLine = text
    .replace(/\p{Cc}+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
