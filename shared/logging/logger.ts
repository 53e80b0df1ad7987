/**
 * Structured logs: one JSON object a line (CloudWatch, CI), or a short human line in a
 * terminal. Any field whose name looks like a credential is replaced before it is written,
 * as a second line of defence: code should not pass credentials to a logger at all.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;
export type LogFormat = "json" | "pretty";

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SENSITIVE_KEY = /secret|password|passwd|token|authorization|credential|api[-_]?key|cookie/i;
const REDACTED = "[redacted]";

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where lines go; defaults to stdout. Tests capture lines here. */
  sink?: (line: string) => void;
  fields?: LogFields;
}

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return describeError(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SENSITIVE_KEY.test(key) ? REDACTED : redact(inner, depth + 1);
  }
  return out;
}

/**
 * An error as a log field: name, message and our own typed fields, never the raw object
 * (HTTP library errors carry request headers, Authorization included).
 */
export function describeError(error: unknown): LogFields {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields: LogFields = { name: error.name, message: error.message };
  for (const key of ["platform", "operation", "status", "code", "retryAfterMs"] as const) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (value !== undefined && (typeof value === "string" || typeof value === "number")) {
      fields[key] = value;
    }
  }
  return fields;
}

export function defaultLogFormat(): LogFormat {
  const asked = process.env.LOG_FORMAT;
  if (asked === "json" || asked === "pretty") return asked;
  return process.stdout.isTTY ? "pretty" : "json";
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LEVELS[options.level ?? parseLevel(process.env.LOG_LEVEL)];
  const format = options.format ?? "json";
  const sink = options.sink ?? ((line: string) => process.stdout.write(`${line}\n`));
  const base = options.fields ?? {};

  const write = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVELS[level] < threshold) return;
    const record = redact({ ...base, ...fields }) as LogFields;
    if (format === "json") {
      sink(JSON.stringify({ level, time: new Date().toISOString(), message, ...record }));
    } else {
      const extras = Object.entries(record)
        .map(
          ([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`,
        )
        .join(" ");
      sink(
        `${new Date().toISOString().slice(11, 23)} ${level.padEnd(5)} ${message}${extras ? `  ${extras}` : ""}`,
      );
    }
  };

  return {
    debug: (message, fields) => write("debug", message, fields),
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

function parseLevel(value: string | undefined): LogLevel {
  return value === "debug" || value === "warn" || value === "error" ? value : "info";
}
