import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { mockClient } from "aws-sdk-client-mock";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../integration/cli/run-cli.ts";
import { commandPaths } from "../../support/cli-commands.ts";

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), "cli-help-"));
});

describe("help", () => {
  it("has the commands the issue names", () => {
    expect(commandPaths().map((path) => path.join(" "))).toEqual(
      expect.arrayContaining(["send", "dlq", "dlq list", "dlq redrive", "dlq discard", "status"]),
    );
  });

  it.each(commandPaths().map((path) => [path.join(" "), path]))(
    "`%s --help` exits 0 with an example",
    async (_name, path) => {
      const result = await runCli(cwd, [...(path as string[]), "--help"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Examples:");
      expect(result.stdout).toMatch(new RegExp(`\\$ lifecycle ${(path as string[])[0]}`));
    },
  );

  it("documents FIFO group locking on every dlq command that reads the DLQ", async () => {
    for (const name of ["list", "redrive", "discard"]) {
      const result = await runCli(cwd, ["dlq", name, "--help"]);
      expect(result.stdout).toContain("FIFO group locking");
    }
  });
});

describe("exit codes", () => {
  it("exits 2 on an unknown option, command or missing argument", async () => {
    expect((await runCli(cwd, ["dlq", "list", "--bogus"])).code).toBe(2);
    expect((await runCli(cwd, ["frobnicate"])).code).toBe(2);
    expect((await runCli(cwd, ["status"])).code).toBe(2);
    expect((await runCli(cwd, [])).code).toBe(2);
  });

  it("exits 2 on a bad option value, naming it, without a stack trace", async () => {
    const result = await runCli(cwd, ["dlq", "redrive", "--all", "--rate", "fast"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('lifecycle: --rate must be a number above 0 (got "fast").');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("says one sentence for an expected failure, and the detail only with --verbose", async () => {
    const stackless = { clients: { cloudFormation: () => failingCloudFormation() } };
    const plain = await runCli(
      cwd,
      ["dlq", "list", "--stack", "Nope", "--region", "eu-west-1"],
      stackless,
    );
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain(
      "lifecycle: Stack Nope was not found in eu-west-1: check the name (--stack) and the region (--region or AWS_REGION)",
    );
    expect(plain.stderr).toContain("(run again with --verbose for details)");
    expect(plain.stderr).not.toContain("Stack with id Nope does not exist");

    const verbose = await runCli(
      cwd,
      ["dlq", "list", "--stack", "Nope", "--region", "eu-west-1", "--verbose"],
      stackless,
    );
    expect(verbose.stderr).toContain("Stack with id Nope does not exist");
    expect(verbose.stderr).not.toMatch(/\n\s+at /);
  });
});

function failingCloudFormation(): CloudFormationClient {
  const client = new CloudFormationClient({ region: "eu-west-1" });
  mockClient(client)
    .on(DescribeStacksCommand)
    .rejects(
      Object.assign(new Error("Stack with id Nope does not exist"), {
        name: "ValidationError",
        $metadata: { httpStatusCode: 400 },
      }),
    );
  return client;
}
