import { expect } from "vitest";
import type { AccountPlatformSimulator } from "../../../../local/simulators/account-platform/account-platform-simulator.ts";

export const CLIENT = { clientId: "sim-test-client", clientSecret: "sim-test-secret" };
export const TENANT = "ede9f834-70b3-476c-83d9-736f9f8c7dae";

export interface PlatformErrorBody {
  error: {
    code: number | string;
    message: string;
    details: { info: unknown };
    domain: string;
    context: Record<string, unknown>;
  };
}

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

export function requestToken(
  sim: AccountPlatformSimulator,
  /** null: no Authorization header at all. */
  authorization: string | null = basic(CLIENT.clientId, CLIENT.clientSecret),
  body = "grant_type=client_credentials",
): Promise<Response> {
  return fetch(`${sim.url}/api/2/idp/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(authorization === null ? {} : { authorization }),
    },
    body,
  });
}

export async function accessToken(sim: AccountPlatformSimulator): Promise<string> {
  const response = await requestToken(sim);
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The platform's documented error shape, with the given status as its code. */
export async function expectPlatformError(
  response: Response,
  status: number,
): Promise<PlatformErrorBody> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/json");
  const body = (await response.json()) as PlatformErrorBody;
  expect(body).toEqual({
    error: {
      code: status,
      message: expect.any(String),
      details: { info: expect.anything() },
      domain: "PlatformAccountServer",
      context: {},
    },
  });
  return body;
}

/** A request whose socket the simulator destroyed without answering. */
export async function expectDroppedConnection(request: Promise<Response>): Promise<void> {
  await expect(request).rejects.toThrow(TypeError);
}

/** Polls until `condition` holds (a bounded wait, for state another party changes). */
export async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
