import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { expect } from "vitest";
import type { LifecycleChangeOutcome } from "../../schemas/lifecycle-change-outcome.ts";

const schema: unknown = JSON.parse(
  readFileSync(
    new URL("../../schemas/lifecycle-change-outcome.schema.json", import.meta.url),
    "utf8",
  ),
);
// `format` (date-time) is checked by a pattern of its own below: ajv-formats is not needed.
// strictRequired off: the `if`/`then` requires properties declared at the top, not in `then`.
const validate = new Ajv2020({
  allErrors: true,
  strict: true,
  strictRequired: false,
  validateFormats: false,
}).compile(schema as object);
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Fails unless `detail` is what schemas/lifecycle-change-outcome.schema.json allows. */
export function expectOutcomeSchema(detail: unknown): asserts detail is LifecycleChangeOutcome {
  const valid = validate(detail);
  expect(validate.errors ?? [], JSON.stringify(detail)).toEqual([]);
  expect(valid).toBe(true);
  expect((detail as LifecycleChangeOutcome).at).toMatch(RFC3339_UTC);
}

/** The details of bus events, each checked against the schema. */
export function checkedDetails(events: readonly { detail: unknown }[]): LifecycleChangeOutcome[] {
  return events.map(({ detail }) => {
    expectOutcomeSchema(detail);
    return detail;
  });
}
