import { describe, expect, it } from "vitest";
import { StaticCredentialSource } from "../../../../shared/runtime/credentials/static-credential-source.ts";

describe("StaticCredentialSource", () => {
  it("returns its value, and the replaced one after a rotation", async () => {
    const source = new StaticCredentialSource({ clientId: "id", clientSecret: "old" });
    await expect(source.get()).resolves.toEqual({ clientId: "id", clientSecret: "old" });
    source.replace({ clientId: "id", clientSecret: "new" });
    await expect(source.refresh()).resolves.toEqual({ clientId: "id", clientSecret: "new" });
    expect(source.reads).toBe(2);
  });
});
