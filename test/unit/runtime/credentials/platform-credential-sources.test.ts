import { describe, expect, it } from "vitest";
import { platformSecretsFromSecretsManager } from "../../../../shared/runtime/credentials/platform-credential-sources.ts";
import { ConfigurationError } from "../../../../shared/runtime/errors/configuration-error.ts";

describe("platformSecretsFromSecretsManager", () => {
  it("refuses a deployed function without its secret ids, naming each", () => {
    const attempt = () =>
      platformSecretsFromSecretsManager(
        { accountPlatform: undefined, osis: undefined },
        "consumer",
      );
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(
      /ACCOUNT_PLATFORM_SECRET_ID is required[\s\S]*OSIS_SECRET_ID is required/,
    );
  });

  it("names only the missing one", () => {
    expect(() =>
      platformSecretsFromSecretsManager({ accountPlatform: "arn:a", osis: undefined }, "consumer"),
    ).toThrow(/^(?![\s\S]*ACCOUNT_PLATFORM_SECRET_ID)[\s\S]*OSIS_SECRET_ID is required/);
  });

  it("gives a source per platform when both ids are set", () => {
    const sources = platformSecretsFromSecretsManager(
      { accountPlatform: "arn:a", osis: "arn:o" },
      "consumer",
    );
    expect(typeof sources.accountPlatform.get).toBe("function");
    expect(typeof sources.osis.refresh).toBe("function");
  });
});
