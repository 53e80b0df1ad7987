/**
 * The OSIS simulator's own control routes (paths relative to /__simulator): seed and read S3
 * credentials, hand-edit a key's `active`, and flip the two backend switches.
 */
import type { OsisS3Credential } from "../../../shared/runtime/platforms/osis/osis-credentials.ts";
import {
  isPlainObject,
  jsonResponse,
  parseJsonBody,
  type SimulatorRequest,
} from "../common/http-exchange.ts";
import type { Route } from "../common/route-table.ts";
import type { OsisSwitches } from "./osis-credential-routes.ts";
import type { OsisCredentialStore, SeedOsisS3Credential } from "./osis-s3-credentials.ts";

export interface OsisControl {
  credentials: OsisCredentialStore;
  switches: OsisSwitches;
  seedCredential(input: SeedOsisS3Credential): OsisS3Credential;
}

export function osisControlRoutes(control: OsisControl): Route[] {
  const { credentials, switches } = control;
  return [
    route("GET", "/switches", () => jsonResponse(200, switches)),
    route("PUT", "/switches", (request) => {
      const body = jsonObject(request);
      for (const name of ["keysFollowUser", "credentialStatusSupported"] as const) {
        const value = body[name];
        if (value === undefined) continue;
        if (typeof value !== "boolean") throw new TypeError(`${name} must be true or false`);
        switches[name] = value;
      }
      return jsonResponse(200, switches);
    }),
    route("POST", "/credentials", (request) =>
      jsonResponse(
        201,
        control.seedCredential(jsonObject(request) as unknown as SeedOsisS3Credential),
      ),
    ),
    route("GET", "/credentials/:tenantId/:userId", (request) =>
      jsonResponse(200, {
        items: credentials.ofUser(request.params.tenantId ?? "", request.params.userId ?? ""),
      }),
    ),
    route("PATCH", "/credentials/:accessKey", (request) => {
      const { active } = jsonObject(request);
      if (typeof active !== "boolean") throw new TypeError('a key edit is {"active": true|false}');
      const updated = credentials.setActive(request.params.accessKey ?? "", active);
      return updated === undefined
        ? jsonResponse(404, { error: `no credential ${request.params.accessKey}` })
        : jsonResponse(200, updated);
    }),
  ];
}

function route(method: string, path: string, handle: Route["handle"]): Route {
  return { method, path, operation: "control", handle };
}

function jsonObject(request: SimulatorRequest): Record<string, unknown> {
  const parsed = parseJsonBody(request.body);
  if (!parsed.ok) throw new TypeError(parsed.problem);
  if (!isPlainObject(parsed.value)) throw new TypeError("the request body must be a JSON object");
  return parsed.value;
}
