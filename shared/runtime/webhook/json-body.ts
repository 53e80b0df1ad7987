import type { ValidationProblem } from "../events/validation.ts";

export type JsonBody = { ok: true; value: unknown } | { ok: false; problems: ValidationProblem[] };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The authenticated body as JSON. Bytes that are not UTF-8 are refused rather than replaced,
 * so an event never carries text the sender did not write.
 */
export function readJsonBody(rawBody: Buffer): JsonBody {
  let text: string;
  try {
    text = utf8.decode(rawBody);
  } catch {
    return { ok: false, problems: [{ path: "$", message: "is not valid UTF-8" }] };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, problems: [{ path: "$", message: "is not valid JSON" }] };
  }
}
