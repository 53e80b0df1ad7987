/**
 * A faithful stand-in for an OSIS endpoint (spec 1.0.0-oas3, and the older /osis/api/v1
 * revision): a real HTTP server with Basic and bearer auth, OsisUser validation, the reference
 * implementation's non-OsisError 404s, and the common fault machinery.
 */
import type { OsisUser } from "../../../shared/runtime/platforms/osis/osis.ts";
import type { CallLog } from "../common/call-log.ts";
import type { SimulatorUsers } from "../common/control-routes.ts";
import type { FaultInjector } from "../common/fault-injector.ts";
import { SimulatorServer } from "../common/simulator-server.ts";
import { osisErrorFor } from "./osis-errors.ts";
import { osisRoutes } from "./osis-routes.ts";
import { OsisUserStore, type SeedOsisUser } from "./osis-users.ts";

export interface OsisSimulatorOptions {
  port?: number;
  host?: string;
  /** Default "/api/v1"; "/osis/api/v1" = the older revision, which answers PATCH with 201. */
  basePath?: string;
  /** Accepted Basic credentials. */
  basic?: { username: string; password: string }[];
  /** Accepted bearer tokens. */
  tokens?: string[];
  /** false → PATCH answers 501. Default true. */
  supportsStatus?: boolean;
}

export const DEFAULT_OSIS_BASE_PATH = "/api/v1";

export class OsisSimulator {
  /** The origin, e.g. "http://127.0.0.1:40124" (base path NOT included). */
  readonly url: string;
  readonly basePath: string;
  readonly faults: FaultInjector;
  readonly calls: CallLog;
  readonly #server: SimulatorServer;
  readonly #users: OsisUserStore;

  private constructor(server: SimulatorServer, users: OsisUserStore, basePath: string) {
    this.#server = server;
    this.#users = users;
    this.basePath = basePath;
    this.url = server.url;
    this.faults = server.faults;
    this.calls = server.calls;
  }

  static async start(options: OsisSimulatorOptions = {}): Promise<OsisSimulator> {
    const basePath = normalizeBasePath(options.basePath ?? DEFAULT_OSIS_BASE_PATH);
    const users = new OsisUserStore();
    const server = await SimulatorServer.start(
      {
        routes: osisRoutes({
          basePath,
          users,
          basic: [...(options.basic ?? [])],
          tokens: [...(options.tokens ?? [])],
          supportsStatus: options.supportsStatus ?? true,
          setActiveStatus: basePath.startsWith("/osis/") ? 201 : 200,
        }),
        errorResponse: osisErrorFor,
        users: controlUsers(users),
      },
      { port: options.port, host: options.host },
    );
    return new OsisSimulator(server, users, basePath);
  }

  /** user_id defaults to cd_user_id, canonical_user_id to a uuid, active to true. */
  seedUser(user: SeedOsisUser): OsisUser {
    return this.#users.seed(user);
  }

  user(tenantId: string, userId: string): OsisUser | undefined {
    return this.#users.get(tenantId, userId);
  }

  users(): OsisUser[] {
    return this.#users.all();
  }

  /** A hand edit ("someone re-activated it"). */
  setUser(tenantId: string, userId: string, patch: Partial<OsisUser>): OsisUser {
    return this.#users.edit(tenantId, userId, patch);
  }

  stop(): Promise<void> {
    return this.#server.stop();
  }
}

function normalizeBasePath(basePath: string): string {
  const trimmed = basePath.trim().replace(/\/+$/, "");
  if (trimmed === "") return "";
  return trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

function controlUsers(users: OsisUserStore): SimulatorUsers {
  return {
    seed: (input) => users.seed(input as SeedOsisUser),
    list: () => users.all(),
    get: ([tenantId, userId, ...rest]) =>
      tenantId === undefined || userId === undefined || rest.length > 0
        ? undefined
        : users.get(tenantId, userId),
    edit: ([tenantId, userId, ...rest], patch) => {
      if (tenantId === undefined || userId === undefined || rest.length > 0) return undefined;
      if (users.get(tenantId, userId) === undefined) return undefined;
      return users.edit(tenantId, userId, patch as Partial<OsisUser>);
    },
  };
}
