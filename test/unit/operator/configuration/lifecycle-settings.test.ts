import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  regionOfQueueUrl,
  requireSetting,
  resolveLifecycleSettings,
  type SettingsInputs,
} from "../../../../shared/operator/configuration/lifecycle-settings.ts";
import {
  type LocalStackFile,
  writeLocalStackFile,
} from "../../../../shared/operator/configuration/local-stack-file.ts";
import {
  LocalStackFileError,
  MissingSettingError,
} from "../../../../shared/operator/errors/settings-errors.ts";
import { LOCAL_AWS_CREDENTIALS } from "../../../../shared/runtime/aws/aws-clients.ts";

const LOCAL: LocalStackFile = {
  region: "us-east-1",
  sqsEndpoint: "http://127.0.0.1:4566",
  dynamodbEndpoint: "http://127.0.0.1:4567",
  queueUrl: "http://127.0.0.1:4566/000000000000/local.fifo",
  dlqUrl: "http://127.0.0.1:4566/000000000000/local-dlq.fifo",
  ledgerTable: "local-ledger",
  webhookUrl: "http://127.0.0.1:3000/events",
  webhookSecret: "whsec_x",
  accountPlatform: { url: "http://127.0.0.1:1", tenantId: "t", simulated: true },
  osis: { url: "http://127.0.0.1:2", basePath: "/api/v1", cdTenantId: "cd", simulated: true },
};

const STACK_OUTPUTS = {
  QueueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/stack.fifo",
  DeadLetterQueueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/stack-dlq.fifo",
  LedgerTableName: "stack-ledger",
};

async function withLocalFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "settings-"));
  const path = join(dir, "local.json");
  await writeLocalStackFile(LOCAL, path);
  return path;
}

function inputs(overrides: Partial<SettingsInputs>): SettingsInputs & { stackCalls: string[] } {
  const stackCalls: string[] = [];
  return {
    flags: {},
    env: {},
    localStackFile: "/nonexistent/local.json",
    localStackFileLabel: ".lifecycle/local.json",
    readStackOutputs: async (name, region) => {
      stackCalls.push(`${name}@${region}`);
      return STACK_OUTPUTS;
    },
    stackCalls,
    ...overrides,
  };
}

describe("resolveLifecycleSettings", () => {
  it("uses the running local stack's file, with its endpoints and local credentials", async () => {
    const settings = await resolveLifecycleSettings(
      inputs({ localStackFile: await withLocalFile() }),
    );
    expect(settings).toMatchObject({
      region: "us-east-1",
      queueUrl: LOCAL.queueUrl,
      dlqUrl: LOCAL.dlqUrl,
      ledgerTable: "local-ledger",
      sqsEndpoint: LOCAL.sqsEndpoint,
      dynamodbEndpoint: LOCAL.dynamodbEndpoint,
      credentials: LOCAL_AWS_CREDENTIALS,
      description: "local stack (.lifecycle/local.json)",
    });
  });

  it("prefers flags to the environment, and both to the local file, and says so", async () => {
    const settings = await resolveLifecycleSettings(
      inputs({
        localStackFile: await withLocalFile(),
        flags: { dlqUrl: "http://127.0.0.1:4566/000000000000/flag-dlq.fifo" },
        env: { DLQ_URL: "http://env", LEDGER_TABLE: "env-ledger" },
      }),
    );
    expect(settings.dlqUrl).toBe("http://127.0.0.1:4566/000000000000/flag-dlq.fifo");
    expect(settings.ledgerTable).toBe("env-ledger");
    expect(settings.queueUrl).toBe(LOCAL.queueUrl);
    expect(settings.origins).toMatchObject({
      dlqUrl: "--dlq-url",
      ledgerTable: "LEDGER_TABLE",
      queueUrl: ".lifecycle/local.json",
    });
    expect(settings.description).toBe(
      "local stack (.lifecycle/local.json), with --dlq-url, LEDGER_TABLE overriding it",
    );
  });

  it("reads a named stack's outputs in the given region and ignores the local file", async () => {
    const given = inputs({
      localStackFile: await withLocalFile(),
      flags: { stack: "HrLifecycleSync", region: "eu-west-1" },
    });
    const settings = await resolveLifecycleSettings(given);
    expect(given.stackCalls).toEqual(["HrLifecycleSync@eu-west-1"]);
    expect(settings).toMatchObject({
      region: "eu-west-1",
      queueUrl: STACK_OUTPUTS.QueueUrl,
      dlqUrl: STACK_OUTPUTS.DeadLetterQueueUrl,
      ledgerTable: "stack-ledger",
      sqsEndpoint: undefined,
      credentials: undefined,
      description: "stack HrLifecycleSync in eu-west-1",
    });
  });

  it("lets the environment override one stack output", async () => {
    const settings = await resolveLifecycleSettings(
      inputs({ flags: { stack: "S" }, env: { AWS_REGION: "eu-west-1", LEDGER_TABLE: "other" } }),
    );
    expect(settings.ledgerTable).toBe("other");
    expect(settings.description).toBe("stack S in eu-west-1, with LEDGER_TABLE overriding it");
  });

  it("does not read the local file when flags and environment name everything", async () => {
    const settings = await resolveLifecycleSettings(
      inputs({
        localStackFile: await withLocalFile(),
        env: {
          QUEUE_URL: STACK_OUTPUTS.QueueUrl,
          DLQ_URL: STACK_OUTPUTS.DeadLetterQueueUrl,
          LEDGER_TABLE: "t",
        },
      }),
    );
    expect(settings.region).toBe("eu-west-1");
    expect(settings.credentials).toBeUndefined();
    expect(settings.description).toBe("QUEUE_URL, DLQ_URL, LEDGER_TABLE in eu-west-1");
  });

  it("gives local credentials to loopback endpoints unless an AWS profile or key is set", async () => {
    const local = await resolveLifecycleSettings(
      inputs({ env: { DLQ_URL: "x", AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:9324" } }),
    );
    expect(local.credentials).toEqual(LOCAL_AWS_CREDENTIALS);
    const profiled = await resolveLifecycleSettings(
      inputs({
        env: { DLQ_URL: "x", AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:9324", AWS_PROFILE: "p" },
      }),
    );
    expect(profiled.credentials).toBeUndefined();
  });

  it("reads the local file once for the queues and the platforms, even when every setting is given", async () => {
    const everySetting = { queueUrl: "http://q.fifo", dlqUrl: "http://d.fifo", ledgerTable: "t" };
    const settings = await resolveLifecycleSettings(
      inputs({ localStackFile: await withLocalFile(), flags: everySetting }),
    );
    expect(settings.queueUrl).toBe("http://q.fifo");
    expect(settings.localStack).toEqual(LOCAL);
    const dir = await mkdtemp(join(tmpdir(), "settings-"));
    const broken = join(dir, "local.json");
    await writeFile(broken, "{ not json");
    await expect(
      resolveLifecycleSettings(inputs({ localStackFile: broken, flags: everySetting })),
    ).rejects.toThrow(broken);
  });

  it("turns an unreadable local file into one error naming it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "settings-"));
    const path = join(dir, "local.json");
    await writeFile(path, "{ not json");
    await expect(resolveLifecycleSettings(inputs({ localStackFile: path }))).rejects.toBeInstanceOf(
      LocalStackFileError,
    );
  });
});

describe("requireSetting", () => {
  it("names every way to give a missing setting", async () => {
    const settings = await resolveLifecycleSettings(inputs({}));
    expect(() => requireSetting(settings, "queueUrl")).toThrow(MissingSettingError);
    expect(() => requireSetting(settings, "ledgerTable")).toThrow(
      "No ledger table name to act on: pass --ledger-table, set LEDGER_TABLE, start the local stack (npm start), or name a deployed stack with --stack NAME",
    );
  });
});

describe("regionOfQueueUrl", () => {
  it("reads the region from an AWS queue URL only", () => {
    expect(regionOfQueueUrl("https://sqs.ap-southeast-2.amazonaws.com/1/q.fifo")).toBe(
      "ap-southeast-2",
    );
    expect(regionOfQueueUrl("http://127.0.0.1:4566/000000000000/q.fifo")).toBeUndefined();
    expect(regionOfQueueUrl(undefined)).toBeUndefined();
  });
});
