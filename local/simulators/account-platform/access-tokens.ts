/**
 * Bearer tokens issued by POST /api/2/idp/token. `expires_on` is ABSOLUTE Unix seconds, read
 * on the simulator's clock, so a test can move time forward and see a token expire.
 */
import { randomBytes } from "node:crypto";

export interface TokenAnswer {
  access_token: string;
  token_type: "bearer";
  id_token: string;
  expires_on: number;
}

export class AccessTokens {
  /** token → expires_on (Unix seconds) */
  readonly #tokens = new Map<string, number>();
  readonly #now: () => number;
  readonly #ttlSeconds: number;

  constructor(now: () => number, ttlSeconds: number) {
    if (!(ttlSeconds > 0)) throw new RangeError(`tokenTtlSeconds must be > 0, got ${ttlSeconds}`);
    this.#now = now;
    this.#ttlSeconds = ttlSeconds;
  }

  issue(clientId: string): TokenAnswer {
    const issuedAt = Math.floor(this.#now() / 1000);
    const expiresOn = issuedAt + this.#ttlSeconds;
    const accessToken = `sim.${randomBytes(24).toString("base64url")}`;
    this.#tokens.set(accessToken, expiresOn);
    return {
      access_token: accessToken,
      token_type: "bearer",
      id_token: unsignedJwt({ sub: clientId, iat: issuedAt, exp: expiresOn, iss: "simulator" }),
      expires_on: expiresOn,
    };
  }

  /** Issued, not revoked, and not past expires_on on the simulator's clock. */
  isValid(token: string): boolean {
    const expiresOn = this.#tokens.get(token);
    return expiresOn !== undefined && this.#now() < expiresOn * 1000;
  }

  revokeAll(): void {
    this.#tokens.clear();
  }
}

function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.`;
}
