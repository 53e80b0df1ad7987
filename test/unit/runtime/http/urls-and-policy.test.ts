import { describe, expect, it } from "vitest";
import { normalizeDatacenterUrl } from "../../../../shared/runtime/configuration/datacenter-url.ts";
import { osisBaseUrl } from "../../../../shared/runtime/configuration/osis-base-url.ts";
import { ConfigurationError } from "../../../../shared/runtime/errors/configuration-error.ts";
import { normalizeRetryPolicy } from "../../../../shared/runtime/http/retry-policy.ts";
import { formatFilter } from "../../../../shared/runtime/platforms/osis/osis-client.ts";

describe("normalizeDatacenterUrl", () => {
  it("strips a trailing /api/2 and slashes", () => {
    for (const raw of [
      "https://dc.example",
      "https://dc.example/",
      "https://dc.example/api/2",
      "https://dc.example/api/2/",
      " https://dc.example//api/2// ",
    ]) {
      expect(normalizeDatacenterUrl(raw)).toBe("https://dc.example");
    }
    expect(normalizeDatacenterUrl("http://127.0.0.1:4000/gw/api/2")).toBe(
      "http://127.0.0.1:4000/gw",
    );
  });

  it("refuses a URL with credentials in it, without echoing them", () => {
    const attempt = () => normalizeDatacenterUrl("https://id:pa55word@dc.example");
    expect(attempt).toThrow(ConfigurationError);
    try {
      attempt();
    } catch (error) {
      expect(String(error)).not.toContain("pa55word");
    }
    expect(() => normalizeDatacenterUrl("dc.example")).toThrow(ConfigurationError);
  });
});

describe("osisBaseUrl", () => {
  it("joins the origin and the base path once", () => {
    expect(osisBaseUrl("https://osis.example")).toBe("https://osis.example/api/v1/");
    expect(osisBaseUrl("https://osis.example/", "/osis/api/v1/")).toBe(
      "https://osis.example/osis/api/v1/",
    );
    expect(osisBaseUrl("https://osis.example/api/v1")).toBe("https://osis.example/api/v1/");
    expect(osisBaseUrl("https://osis.example", "osis/api/v1")).toBe(
      "https://osis.example/osis/api/v1/",
    );
  });
});

describe("formatFilter", () => {
  it("joins key==value pairs with ;", () => {
    expect(formatFilter({ cd_tenant_id: "t1", cd_user_id: "jdoe" })).toBe(
      "cd_tenant_id==t1;cd_user_id==jdoe",
    );
  });

  it("refuses what the syntax cannot express", () => {
    expect(() => formatFilter({})).toThrow(/empty/);
    expect(() => formatFilter({ cd_user_id: "a;b" })).toThrow(/cd_user_id/);
    expect(() => formatFilter({ cd_user_id: "a==b" })).toThrow(/cd_user_id/);
    // FIQL reads `,` as "or": `cd_user_id==jdoe,root` would match two users.
    expect(() => formatFilter({ cd_tenant_id: "t1", cd_user_id: "jdoe,root" })).toThrow(
      /cd_user_id/,
    );
    expect(() => formatFilter({ "bad key": "x" })).toThrow();
  });
});

describe("normalizeRetryPolicy", () => {
  it("bounds attempts and waits", () => {
    expect(normalizeRetryPolicy({})).toEqual({ retries: 2, baseMs: 300, capMs: 2_000 });
    expect(normalizeRetryPolicy({ retries: 1_000, capMs: Number.POSITIVE_INFINITY })).toEqual({
      retries: 5,
      baseMs: 300,
      capMs: 10_000,
    });
    expect(normalizeRetryPolicy({ retries: -1, baseMs: 5_000, capMs: 100 })).toEqual({
      retries: 0,
      baseMs: 100,
      capMs: 100,
    });
  });
});
