import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { describe, expect, it } from "vitest";
import { resolvePlatformAccess } from "../../../cli/platform-access.ts";
import type { LocalStackFile } from "../../../shared/operator/configuration/local-stack-file.ts";
import { osisBaseUrl } from "../../../shared/runtime/configuration/osis-base-url.ts";
import { ConfigurationError } from "../../../shared/runtime/errors/configuration-error.ts";

const local = {
  accountPlatform: {
    url: "http://127.0.0.1:1001",
    tenantId: "t",
    simulated: true,
    clientId: "sim-id",
    clientSecret: "sim-secret",
  },
  osis: {
    url: "http://127.0.0.1:1002",
    basePath: "/api/v1",
    cdTenantId: "cd",
    simulated: true,
    username: "sim-user",
    password: "sim-pw",
  },
} as LocalStackFile;

const noSecretsManager = (): SecretsManagerClient => {
  throw new Error("no secret should be read here");
};

describe("resolvePlatformAccess", () => {
  it("uses the local stack's simulators, saying so without the credentials", async () => {
    const access = resolvePlatformAccess({
      env: {},
      local,
      stackOutputs: undefined,
      secretsManager: noSecretsManager,
    });
    expect(access.accountPlatform.url).toBe("http://127.0.0.1:1001");
    expect(await access.accountPlatform.credentials.get()).toEqual({
      clientId: "sim-id",
      clientSecret: "sim-secret",
    });
    expect(await access.osis.credentials.get()).toEqual({
      username: "sim-user",
      password: "sim-pw",
    });
    expect(access.accountPlatform.origin).not.toContain("sim-secret");
    expect(access.osis.origin).not.toContain("sim-pw");
  });

  it("prefers the environment, and secrets named by the stack outputs over nothing", () => {
    const access = resolvePlatformAccess({
      env: {
        ACCOUNT_PLATFORM_URL: "https://ap.example.com",
        OSIS_URL: "https://osis.example.com",
        OSIS_TOKEN: "tok",
      },
      local: undefined,
      stackOutputs: { AccountPlatformSecretArn: "arn:ap", OsisSecretArn: "arn:osis" },
      secretsManager: noSecretsManager,
    });
    expect(access.accountPlatform.origin).toBe("https://ap.example.com with secret arn:ap");
    expect(access.osis.origin).toBe("https://osis.example.com with OSIS_TOKEN");
    expect(access.osis.basePath).toBe("/api/v1");
  });

  it("names everything missing at once", () => {
    try {
      resolvePlatformAccess({
        env: {},
        local: undefined,
        stackOutputs: undefined,
        secretsManager: noSecretsManager,
      });
      throw new Error("expected a ConfigurationError");
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      expect(error.problems).toHaveLength(4);
    }
  });

  it("with --stack, needs nothing from the environment: the outputs name the platforms and secrets", () => {
    const access = resolvePlatformAccess({
      env: {},
      local: undefined,
      stackOutputs: {
        AccountPlatformUrl: "https://dc.example.com",
        OsisUrl: "https://osis.example.com/osis/api/v1",
        AccountPlatformSecretArn: "arn:ap",
        OsisSecretArn: "arn:osis",
      },
      secretsManager: noSecretsManager,
    });
    expect(access.accountPlatform.origin).toBe("https://dc.example.com with secret arn:ap");
    expect(access.osis.origin).toBe("https://osis.example.com/osis/api/v1 with secret arn:osis");
    expect(osisBaseUrl(access.osis.url, access.osis.basePath)).toBe(
      "https://osis.example.com/osis/api/v1/",
    );
  });

  it("refuses a placeholder left in a credential variable and a bad URL, naming both", () => {
    try {
      resolvePlatformAccess({
        env: { ACCOUNT_PLATFORM_CLIENT_SECRET: "REPLACE_ME", OSIS_URL: "ftp://osis.example.com" },
        local,
        stackOutputs: undefined,
        secretsManager: noSecretsManager,
      });
      throw new Error("expected a ConfigurationError");
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      expect(error.problems).toEqual([
        "OSIS_URL must be an http(s) URL",
        "ACCOUNT_PLATFORM_CLIENT_SECRET still holds the placeholder",
      ]);
    }
  });
});
