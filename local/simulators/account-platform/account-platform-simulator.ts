/**
 * A faithful stand-in for the account platform (Acronis-style account management API): a
 * real HTTP server with tokens, versioned users, prefix search, and the common fault
 * machinery. Used by `npm start`, the integration tests and the benchmarks.
 */
import type { AccountPlatformUser } from "../../../shared/runtime/platforms/account-platform/account-platform.ts";
import type { CallLog } from "../common/call-log.ts";
import type { SimulatorUsers } from "../common/control-routes.ts";
import type { FaultInjector } from "../common/fault-injector.ts";
import { isPlainObject, jsonResponse, parseJsonBody } from "../common/http-exchange.ts";
import { SimulatorServer } from "../common/simulator-server.ts";
import { AccessTokens } from "./access-tokens.ts";
import { accountPlatformErrorFor } from "./account-platform-errors.ts";
import { accountPlatformRoutes } from "./account-platform-routes.ts";
import {
  type AccountPlatformTenant,
  AccountPlatformUserStore,
  type SeedAccountPlatformUser,
} from "./account-platform-users.ts";

export interface AccountPlatformSimulatorOptions {
  /** 0 (default) = ephemeral. */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** Accepted client credentials. */
  clients?: { clientId: string; clientSecret: string }[];
  /** Default 7200; expires_on = now + ttl (absolute Unix seconds). */
  tokenTtlSeconds?: number;
  /** The answer to a stale version on PUT; default 409. */
  conflictStatus?: 409 | 426;
  /** Clock (ms) for token expiry and created_at. */
  now?: () => number;
}

export const DEFAULT_TOKEN_TTL_SECONDS = 7_200;

export class AccountPlatformSimulator {
  /** The datacenter URL, e.g. "http://127.0.0.1:40123" (no /api/2). */
  readonly url: string;
  readonly faults: FaultInjector;
  readonly calls: CallLog;
  readonly #server: SimulatorServer;
  readonly #users: AccountPlatformUserStore;
  readonly #tokens: AccessTokens;

  private constructor(
    server: SimulatorServer,
    users: AccountPlatformUserStore,
    tokens: AccessTokens,
  ) {
    this.#server = server;
    this.#users = users;
    this.#tokens = tokens;
    this.url = server.url;
    this.faults = server.faults;
    this.calls = server.calls;
  }

  static async start(
    options: AccountPlatformSimulatorOptions = {},
  ): Promise<AccountPlatformSimulator> {
    const now = options.now ?? Date.now;
    const users = new AccountPlatformUserStore(now);
    const tokens = new AccessTokens(now, options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS);
    const conflictStatus = options.conflictStatus ?? 409;
    if (conflictStatus !== 409 && conflictStatus !== 426) {
      throw new RangeError(`conflictStatus must be 409 or 426, got ${conflictStatus}`);
    }
    const server = await SimulatorServer.start(
      {
        routes: accountPlatformRoutes({
          users,
          tokens,
          clients: [...(options.clients ?? [])],
          conflictStatus,
        }),
        errorResponse: accountPlatformErrorFor,
        bumpVersion: (request) => {
          if (request.params.id !== undefined) users.bumpVersion(request.params.id);
        },
        users: controlUsers(users),
        controlRoutes: [
          {
            method: "POST",
            path: "/revoke-tokens",
            operation: "control",
            handle: () => {
              tokens.revokeAll();
              return jsonResponse(200, { revoked: true });
            },
          },
          {
            method: "POST",
            path: "/tenants",
            operation: "control",
            handle: (request) => {
              const parsed = parseJsonBody(request.body);
              const input = parsed.ok ? parsed.value : undefined;
              if (!isPlainObject(input)) throw new TypeError("a tenant must be a JSON object");
              return jsonResponse(201, users.seedTenant(input as { name: string }));
            },
          },
        ],
      },
      { port: options.port, host: options.host },
    );
    return new AccountPlatformSimulator(server, users, tokens);
  }

  /** id (uuid) generated if absent, version 1 and enabled true unless given. */
  seedUser(user: SeedAccountPlatformUser): AccountPlatformUser {
    return this.#users.seed(user);
  }

  /** A tenant, so search also returns `obj_type: "tenant"` items as the real platform does. */
  seedTenant(tenant: {
    id?: string;
    name: string;
    parent_id?: string | null;
    kind?: string;
  }): AccountPlatformTenant {
    return this.#users.seedTenant(tenant);
  }

  /** Current state (a copy). */
  user(id: string): AccountPlatformUser | undefined {
    return this.#users.get(id);
  }

  users(): AccountPlatformUser[] {
    return this.#users.all();
  }

  /** A hand edit ("someone re-enabled it"); bumps the version. */
  setUser(id: string, patch: Partial<AccountPlatformUser>): AccountPlatformUser {
    return this.#users.edit(id, patch);
  }

  /** Every issued token now answers 401. */
  revokeTokens(): void {
    this.#tokens.revokeAll();
  }

  stop(): Promise<void> {
    return this.#server.stop();
  }
}

function controlUsers(users: AccountPlatformUserStore): SimulatorUsers {
  return {
    seed: (input) => users.seed(input as SeedAccountPlatformUser),
    list: () => users.all(),
    get: ([id, ...rest]) => (id === undefined || rest.length > 0 ? undefined : users.get(id)),
    edit: ([id, ...rest], patch) => {
      if (id === undefined || rest.length > 0 || users.get(id) === undefined) return undefined;
      return users.edit(id, patch as Partial<AccountPlatformUser>);
    },
  };
}
