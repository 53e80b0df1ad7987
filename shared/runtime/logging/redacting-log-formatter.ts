import { LogFormatter, LogItem } from "@aws-lambda-powertools/logger";
import type { LogAttributes, UnformattedAttributes } from "@aws-lambda-powertools/logger/types";

export type LogFields = Record<string, unknown>;

const SENSITIVE_KEY = /secret|password|passwd|token|authorization|credential|api[-_]?key|cookie/i;
const REDACTED = "[redacted]";

/**
 * Powertools' log shape (`level`, `message`, `timestamp`, `service`, the Lambda context keys),
 * with what ours adds on top, as a second line of defence (code should not hand credentials
 * to a logger at all):
 * 1. a field whose name looks like a credential is replaced, at any depth;
 * 2. an error, at any depth, is logged as `describeError` does, never as the raw object;
 * 3. a logged field never overwrites a key the logger writes itself (Powertools drops only
 *    five of them; the Lambda context keys would otherwise be overwritten).
 */
export class RedactingLogFormatter extends LogFormatter {
  override formatAttributes(
    attributes: UnformattedAttributes,
    additionalLogAttributes: LogAttributes,
  ): LogItem {
    // Powertools' own formatter (not exported) writes these keys, in this order.
    const own: LogAttributes = {
      level: attributes.logLevel,
      message: attributes.message,
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_arn: attributes.lambdaContext?.invokedFunctionArn,
      function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      sampling_rate: attributes.sampleRateValue,
      xray_trace_id: attributes.xRayTraceId,
      tenant_id: attributes.lambdaContext?.tenantId,
    };
    for (const [key, value] of Object.entries(redact(additionalLogAttributes) as LogFields)) {
      if (!(key in own)) own[key] = value; // rule 3: `own` lists every key, set or not
    }
    return new LogItem({ attributes: own });
  }

  override formatError(error: Error): LogAttributes {
    return describeError(error); // rule 2, for an error Powertools meets outside the fields
  }
}

/** Rules 1 and 2 over any value; a value met again inside itself is cut, not followed. */
export function redact(value: unknown, ancestors: readonly object[] = []): unknown {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Error) return describeError(value);
  if (ancestors.includes(value)) return "[circular]";
  const inside = [...ancestors, value];
  if (Array.isArray(value)) return value.map((item) => redact(item, inside));
  const out: LogFields = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SENSITIVE_KEY.test(key) ? REDACTED : redact(inner, inside);
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
