/**
 * A faithful stand-in for an OSIS endpoint (spec 1.0.0-oas3, and the older /osis/api/v1
 * revision): a real HTTP server with Basic and bearer auth, OsisUser validation, the reference
 * implementation's non-OsisError 404s, and the common fault machinery.
 */
import type { OsisUser } from "../../../shared/runtime/platforms/osis/osis.ts";
import type { OsisS3Credential } from "../../../shared/runtime/platforms/osis/osis-credentials.ts";
import type { CallLog } from "../common/call-log.ts";
import type { SimulatorUsers } from "../common/control-routes.ts";
import type { FaultInjector } from "../common/fault-injector.ts";
import { SimulatorServer } from "../common/simulator-server.ts";
import { osisControlRoutes } from "./osis-control-routes.ts";
import type { OsisSwitches } from "./osis-credential-routes.ts";
import { osisErrorFor } from "./osis-errors.ts";
import { osisRoutes } from "./osis-routes.ts";
import { OsisCredentialStore, type SeedOsisS3Credential } from "./osis-s3-credentials.ts";
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
  /** true → updateUserStatus sets every key of the user as it sets the user. Default false. */
  keysFollowUser?: boolean;
  /** false → updateCredentialStatus answers 501. Default true. */
  credentialStatusSupported?: boolean;
}

export const DEFAULT_OSIS_BASE_PATH = "/api/v1";

export class OsisSimulator {
  /** The origin, e.g. "http://127.0.0.1:40124" (base path NOT included). */
  readonly url: string;
  readonly basePath: string;
  readonly faults: FaultInjector;
  readonly calls: CallLog;
  /** Mutable: what the backend does with keys (also `PUT /__simulator/switches`). */
  readonly switches: OsisSwitches;
  readonly #server: SimulatorServer;
  readonly #users: OsisUserStore;
  readonly #credentials: OsisCredentialStore;

  private constructor(
    server: SimulatorServer,
    users: OsisUserStore,
    credentials: OsisCredentialStore,
    switches: OsisSwitches,
    basePath: string,
  ) {
    this.#server = server;
    this.#users = users;
    this.#credentials = credentials;
    this.switches = switches;
    this.basePath = basePath;
    this.url = server.url;
    this.faults = server.faults;
    this.calls = server.calls;
  }

  static async start(options: OsisSimulatorOptions = {}): Promise<OsisSimulator> {
    const basePath = normalizeBasePath(options.basePath ?? DEFAULT_OSIS_BASE_PATH);
    const users = new OsisUserStore();
    const credentials = new OsisCredentialStore();
    const switches: OsisSwitches = {
      keysFollowUser: options.keysFollowUser ?? false,
      credentialStatusSupported: options.credentialStatusSupported ?? true,
    };
    const seedCredential = (input: SeedOsisS3Credential) =>
      seedCredentialOf(users, credentials, input);
    const server = await SimulatorServer.start(
      {
        routes: osisRoutes({
          basePath,
          users,
          basic: [...(options.basic ?? [])],
          tokens: [...(options.tokens ?? [])],
          supportsStatus: options.supportsStatus ?? true,
          setActiveStatus: basePath.startsWith("/osis/") ? 201 : 200,
          credentials,
          switches,
        }),
        errorResponse: osisErrorFor,
        users: controlUsers(users),
        controlRoutes: osisControlRoutes({ credentials, switches, seedCredential }),
      },
      { port: options.port, host: options.host },
    );
    return new OsisSimulator(server, users, credentials, switches, basePath);
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

  /** An S3 key for an existing user: a new access key and secret unless given; active by default. */
  seedCredential(input: SeedOsisS3Credential): OsisS3Credential {
    return seedCredentialOf(this.#users, this.#credentials, input);
  }

  /** The user's S3 credentials (secret keys included), in creation order. */
  credentials(tenantId: string, userId: string): OsisS3Credential[] {
    return this.#credentials.ofUser(tenantId, userId);
  }

  /** A hand edit of one key ("someone switched it off"). */
  setCredentialActive(accessKey: string, active: boolean): OsisS3Credential {
    const updated = this.#credentials.setActive(accessKey, active);
    if (updated === undefined) throw new RangeError(`no OSIS credential ${accessKey}`);
    return updated;
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

function seedCredentialOf(
  users: OsisUserStore,
  credentials: OsisCredentialStore,
  input: SeedOsisS3Credential,
): OsisS3Credential {
  const owner = users.get(input.tenant_id, input.user_id);
  if (owner === undefined) {
    throw new TypeError(`no OSIS user ${input.user_id} in tenant ${input.tenant_id}`);
  }
  return credentials.seed(
    { ...owner, user_id: owner.user_id ?? input.user_id, username: owner.username },
    input,
  );
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
