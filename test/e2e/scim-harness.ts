import type { LocalStack } from "../../local/running-local-stack.ts";
import { DEMO_PEOPLE, type DemoPerson } from "../../local/simulators/demo-users.ts";

export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export interface ScimAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body (undefined when empty). */
  // biome-ignore lint/suspicious/noExplicitAny: a test reads whatever the endpoint answered.
  body: any;
}

/** One request to the local stack's SCIM endpoint, with its token unless a test gives another. */
export async function scim(
  stack: LocalStack,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {},
): Promise<ScimAnswer> {
  const token = options.token === undefined ? stack.scimToken : options.token;
  const response = await fetch(`${stack.endpoints.scim}${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(options.body === undefined ? {} : { "content-type": "application/scim+json" }),
      ...options.headers,
    },
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === "" ? undefined : JSON.parse(text),
  };
}

/** Okta's deactivation and activation (OIN apps): a PATCH without a path. */
export function oktaActive(active: boolean) {
  return { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active } }] };
}

/** Microsoft Entra's: a capitalised op, a path and a STRING boolean. */
export function entraActive(active: boolean) {
  return {
    schemas: [PATCH_OP],
    Operations: [{ op: "Replace", path: "active", value: active ? "True" : "False" }],
  };
}

export function demoPerson(login: string): DemoPerson {
  const found = DEMO_PEOPLE.find((demo) => demo.login === login);
  if (!found) throw new Error(`no demo person ${login}`);
  return found;
}
