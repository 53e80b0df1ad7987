import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountPlatformSimulator } from "../../../../local/simulators/account-platform/account-platform-simulator.ts";
import { BambooHrSimulator } from "../../../../local/simulators/bamboohr/bamboohr-simulator.ts";
import { OsisSimulator } from "../../../../local/simulators/osis/osis-simulator.ts";

/**
 * local/simulators/README.md, "Seeding a user": each simulator's table lists every field a
 * seeded user has, and its curl example, run as written against the simulator, seeds one.
 */
const README = readFileSync(
  new URL("../../../../local/simulators/README.md", import.meta.url),
  "utf8",
);
const SEEDING = README.slice(README.indexOf("## Seeding a user"), README.indexOf("## Demo users"));

const simulators: { name: string; port: number; url: () => string; stop: () => Promise<void> }[] =
  [];
beforeAll(async () => {
  const [accounts, osis, bamboohr] = await Promise.all([
    AccountPlatformSimulator.start(),
    OsisSimulator.start(),
    BambooHrSimulator.start(),
  ]);
  simulators.push(
    { name: "Account platform", port: 4571, url: () => accounts.url, stop: () => accounts.stop() },
    { name: "OSIS", port: 4572, url: () => osis.url, stop: () => osis.stop() },
    { name: "BambooHR", port: 4573, url: () => bamboohr.url, stop: () => bamboohr.stop() },
  );
});
afterAll(() => Promise.all(simulators.map((simulator) => simulator.stop())));

/** The README's subsection for one simulator: its documented fields and its curl example. */
function documented(name: string, port: number): { fields: string[]; curl: string } {
  const start = SEEDING.indexOf(`### ${name} (port ${port})`);
  expect(
    start,
    `local/simulators/README.md: add "### ${name} (port ${port})" under "Seeding a user"`,
  ).toBeGreaterThan(-1);
  const next = SEEDING.indexOf("\n### ", start + 1);
  const text = SEEDING.slice(start, next < 0 ? undefined : next);
  const fields = text
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) =>
      [...(line.split("|")[1] ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? ""),
    );
  const curl = /```sh\n([\s\S]*?)```/.exec(text)?.[1] ?? "";
  return { fields, curl };
}

describe("local/simulators/README.md, seeding a user", () => {
  it.each(["Account platform", "OSIS", "BambooHR"])(
    "%s: the curl example seeds a user that has exactly the documented fields",
    async (name) => {
      const simulator = simulators.find((s) => s.name === name);
      if (simulator === undefined) throw new Error(`no simulator ${name}`);
      const { fields, curl } = documented(name, simulator.port);
      expect(curl, "a curl example posting to /__simulator/users").toContain("/__simulator/users");
      const script = curl.replaceAll(`http://127.0.0.1:${simulator.port}`, simulator.url());
      const { stdout } = await promisify(execFile)("sh", ["-c", script]);
      const seeded = JSON.parse(stdout) as Record<string, unknown>;
      expect(
        Object.keys(seeded).sort(),
        `local/simulators/README.md, ${name}: the fields table must list every field of a seeded user, and no other`,
      ).toEqual([...fields].sort());
    },
  );
});

describe("local/simulators/README.md, seeding an OSIS S3 credential", () => {
  it("the curl example, after the OSIS user's, seeds a key of that user with the fields it gave", async () => {
    const osis = simulators.find((s) => s.name === "OSIS");
    if (osis === undefined) throw new Error("no OSIS simulator");
    const user = documented("OSIS", 4572);
    const credential = documented("OSIS S3 credential", 4572);
    expect(credential.curl).toContain("/__simulator/credentials");
    const run = (curl: string) =>
      promisify(execFile)("sh", ["-c", curl.replaceAll("http://127.0.0.1:4572", osis.url())]);
    await run(user.curl).catch(() => undefined); // the user may be seeded already
    const seeded = JSON.parse((await run(credential.curl)).stdout) as Record<string, unknown>;
    const given = JSON.parse(/-d '([^']*)'/.exec(credential.curl)?.[1] ?? "{}") as object;
    expect(seeded).toMatchObject(given);
    expect(Object.keys(given).every((field) => credential.fields.includes(field))).toBe(true);
    expect(Object.keys(seeded)).toEqual(expect.arrayContaining(credential.fields));
  });
});
