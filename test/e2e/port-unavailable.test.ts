import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalPorts } from "../../local/local-ports.ts";
import { startLocalStack } from "../../local/local-stack.ts";
import { PortUnavailableError } from "../../local/port-unavailable-error.ts";
import { captureLogs } from "../support/captured-logs.ts";
import { FREE_PORT_FLAGS, runMain } from "./run-main.ts";

let directory: string;
let holder: Server;
let takenPort: number;

function listen(port = 0): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return address.port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Ports that were free a moment ago, so a second start can ask for the very same ones. */
async function freePorts(): Promise<LocalPorts> {
  const servers = await Promise.all([
    listen(),
    listen(),
    listen(),
    listen(),
    listen(),
    listen(),
    listen(),
  ]);
  const [sqs, dynamodb, webhook, accountPlatform, osis, bamboohr, eventBridge] = servers.map(
    portOf,
  ) as number[];
  await Promise.all(servers.map(close));
  return {
    sqs: sqs ?? 0,
    dynamodb: dynamodb ?? 0,
    webhook: webhook ?? 0,
    accountPlatform: accountPlatform ?? 0,
    osis: osis ?? 0,
    bamboohr: bamboohr ?? 0,
    eventBridge: eventBridge ?? 0,
  };
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "local-port-"));
  holder = await listen();
  takenPort = portOf(holder);
});

afterAll(async () => {
  await close(holder);
  await rm(directory, { recursive: true, force: true });
});

describe("a local port already in use", () => {
  it("fails the start with one sentence naming the setting to change, and releases every other port", async () => {
    const ports = { ...(await freePorts()), webhook: takenPort };
    const failure = await startLocalStack({
      ports,
      stackFile: false,
      env: {},
      logger: captureLogs().logger,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PortUnavailableError);
    expect((failure as Error).message).toBe(
      `Port ${takenPort} on 127.0.0.1 is already in use, so the webhook endpoint cannot start: stop whatever holds it, or choose another port with --webhook-port or LOCAL_WEBHOOK_PORT (0 picks a free one).`,
    );

    // Everything that had started was stopped: the same ports are free for the next start.
    const stack = await startLocalStack({
      ports: { ...ports, webhook: 0 },
      stackFile: false,
      env: {},
      logger: captureLogs().logger,
    });
    await stack.stop();
  });

  it("makes `npm start` print that sentence and exit 1", async () => {
    const args = [...FREE_PORT_FLAGS, "--sqs-port", String(takenPort)];
    const { code, stdout, stderr } = await runMain(args, { cwd: directory });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `Port ${takenPort} on 127.0.0.1 is already in use, so the SQS endpoint cannot start: stop whatever holds it, or choose another port with --sqs-port or LOCAL_SQS_PORT (0 picks a free one).\n`,
    );
  });

  it("reads the port from its environment variable too", async () => {
    const { code, stderr } = await runMain(FREE_PORT_FLAGS.slice(2), {
      cwd: directory,
      env: { LOCAL_SQS_PORT: String(takenPort) },
    });
    expect(code).toBe(1);
    expect(stderr).toContain("--sqs-port or LOCAL_SQS_PORT");
  });
});
