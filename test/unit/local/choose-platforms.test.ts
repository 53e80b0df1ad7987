import { describe, expect, it } from "vitest";
import { choosePlatforms } from "../../../local/platform-setup.ts";
import { ConfigurationError } from "../../../shared/runtime/errors/configuration-error.ts";

describe("choosePlatforms", () => {
  it("simulates both platforms when no URL is set", () => {
    expect(choosePlatforms({})).toEqual({ accountPlatform: undefined, osis: undefined });
  });

  it("reads a real platform as the consumer does: datacenter URL without /api/2, OSIS origin", () => {
    const choice = choosePlatforms({
      ACCOUNT_PLATFORM_URL: "https://dc.example.com/api/2/",
      ACCOUNT_PLATFORM_TENANT_ID: "t",
      ACCOUNT_PLATFORM_CLIENT_ID: "id",
      ACCOUNT_PLATFORM_CLIENT_SECRET: "secret",
      OSIS_URL: "https://osis.example.com/",
      OSIS_CD_TENANT_ID: "cd",
      OSIS_TOKEN: "token",
    });
    expect(choice.accountPlatform).toEqual({
      url: "https://dc.example.com",
      tenantId: "t",
      credentials: { clientId: "id", clientSecret: "secret" },
    });
    expect(choice.osis).toEqual({
      url: "https://osis.example.com",
      basePath: "/api/v1",
      cdTenantId: "cd",
      credentials: { token: "token" },
    });
  });

  it("names every bad value in one error: URL, base path, placeholder and what a URL requires", () => {
    const env = {
      ACCOUNT_PLATFORM_URL: "https://user:pw@dc.example.com",
      ACCOUNT_PLATFORM_CLIENT_ID: "REPLACE_ME",
      OSIS_URL: "https://osis.example.com",
      OSIS_BASE_PATH: "api/v1",
      OSIS_USERNAME: "someone",
    };
    expect(() => choosePlatforms(env)).toThrow(ConfigurationError);
    expect(() => choosePlatforms(env)).toThrow(
      expect.objectContaining({
        problems: [
          "ACCOUNT_PLATFORM_URL must not carry credentials (they belong in the secret)",
          'OSIS_BASE_PATH must start with "/"',
          "ACCOUNT_PLATFORM_CLIENT_ID still holds the placeholder",
          "ACCOUNT_PLATFORM_TENANT_ID is required when ACCOUNT_PLATFORM_URL is set",
          "ACCOUNT_PLATFORM_CLIENT_SECRET is required when ACCOUNT_PLATFORM_URL is set",
          "OSIS_CD_TENANT_ID is required when OSIS_URL is set",
          "OSIS_USERNAME and OSIS_PASSWORD, or OSIS_TOKEN, are required when OSIS_URL is set",
        ],
      }),
    );
  });
});
