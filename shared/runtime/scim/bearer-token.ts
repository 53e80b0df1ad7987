import { createHash, timingSafeEqual } from "node:crypto";
import { ConfigurationError } from "../errors/configuration-error.ts";

/** The shortest SCIM token accepted: 32 bytes, 256 bits, too many to guess. */
export const MIN_SCIM_TOKEN_BYTES = 32;

const BEARER = /^\s*bearer\s+(\S+)\s*$/i;

/**
 * Whether an Authorization header carries one of the tokens (several while one is rotated).
 * The scheme is case-insensitive (RFC 7235). Each token is compared through its SHA-256 digest
 * with timingSafeEqual, so neither a token's characters nor its length show in the time taken,
 * and every token is compared, so neither does which one matched.
 */
export function matchesBearerToken(
  authorization: string | undefined,
  tokens: readonly string[],
): boolean {
  const presented = BEARER.exec(authorization ?? "")?.[1];
  if (presented === undefined) return false;
  const presentedDigest = digest(presented);
  let matched = false;
  for (const token of tokens) {
    const equal = timingSafeEqual(presentedDigest, digest(token));
    matched = matched || equal;
  }
  return matched;
}

function digest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/**
 * The SCIM token secret's tokens are usable: at least one, each at least MIN_SCIM_TOKEN_BYTES
 * bytes and without white space (it could never be sent in an Authorization header). A problem
 * names the token by its position, never by its value.
 */
export function assertScimTokens(tokens: readonly string[]): void {
  const problems =
    tokens.length === 0
      ? ["tokens: the list is empty; add a token of at least 32 bytes"]
      : tokens.flatMap((token, index) => tokenProblems(token, index));
  if (problems.length > 0) throw new ConfigurationError("The SCIM tokens are unusable", problems);
}

function tokenProblems(token: string, index: number): string[] {
  const bytes = Buffer.byteLength(token, "utf8");
  return [
    ...(bytes < MIN_SCIM_TOKEN_BYTES
      ? [`tokens[${index}]: ${bytes} bytes; a SCIM token needs at least ${MIN_SCIM_TOKEN_BYTES}`]
      : []),
    ...(/\s/.test(token) ? [`tokens[${index}]: contains white space`] : []),
  ];
}
