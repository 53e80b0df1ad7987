import { PLACEHOLDER } from "../../contract/secrets.ts";
import { STILL_PLACEHOLDER } from "../credentials/secret-shapes.ts";
import {
  fieldsOf,
  fits,
  listOf,
  refused,
  type ShapeResult,
  text,
} from "../credentials/shape-checks.ts";
import { ConfigurationError } from "../errors/configuration-error.ts";
import { assertScimTokens } from "../scim/bearer-token.ts";

/**
 * The SCIM endpoint's bearer tokens (`SCIM_TOKEN_SECRET_ID`), several while one is rotated.
 * SCIM is optional: the secret left as the stack created it (the placeholder alone) reads as
 * no tokens, and every SCIM request is answered 401 until it is filled. A placeholder beside
 * real tokens is refused, as is a token shorter than 32 bytes (bearer-token.ts, named by its
 * position only).
 */
export function scimTokensShape(json: unknown): ShapeResult<ScimTokens> {
  const checked = fieldsOf<ScimTokens>(json, {
    tokens: listOf(text, "must hold at least one token"),
  });
  if (!checked.ok) return checked;
  const { tokens } = checked.value;
  if (tokens.length === 1 && tokens[0] === PLACEHOLDER) return fits({ tokens: [] });
  try {
    if (tokens.includes(PLACEHOLDER)) throw new Error(STILL_PLACEHOLDER);
    assertScimTokens(tokens);
  } catch (error) {
    return refused([{ path: ["tokens"], message: problemsOf(error) }]);
  }
  return fits({ tokens });
}
export interface ScimTokens {
  tokens: string[];
}

function problemsOf(error: unknown): string {
  if (error instanceof ConfigurationError) return error.problems.join("; ");
  return error instanceof Error ? error.message : String(error);
}
