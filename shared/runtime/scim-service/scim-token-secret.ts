import * as z from "zod";
import { PLACEHOLDER } from "../../contract/secrets.ts";
import { STILL_PLACEHOLDER } from "../credentials/secret-shapes.ts";
import { ConfigurationError } from "../errors/configuration-error.ts";
import { assertScimTokens } from "../scim/bearer-token.ts";

/**
 * The SCIM endpoint's bearer tokens (`SCIM_TOKEN_SECRET_ID`), several while one is rotated.
 * SCIM is optional: the secret left as the stack created it (the placeholder alone) reads as
 * no tokens, and every SCIM request is answered 401 until it is filled. A placeholder beside
 * real tokens is refused, as is a token shorter than 32 bytes (bearer-token.ts, named by its
 * position only).
 */
export const scimTokensSchema = z
  .object({ tokens: z.array(z.string().min(1)).min(1, "must hold at least one token") })
  .transform(({ tokens }, context): ScimTokens => {
    if (tokens.length === 1 && tokens[0] === PLACEHOLDER) return { tokens: [] };
    try {
      if (tokens.includes(PLACEHOLDER)) throw new Error(STILL_PLACEHOLDER);
      assertScimTokens(tokens);
    } catch (error) {
      context.issues.push({
        code: "custom",
        path: ["tokens"],
        message: problemsOf(error),
        input: "",
      });
    }
    return { tokens };
  });
export interface ScimTokens {
  tokens: string[];
}

function problemsOf(error: unknown): string {
  if (error instanceof ConfigurationError) return error.problems.join("; ");
  return error instanceof Error ? error.message : String(error);
}
