import { describe, expect, it } from "vitest";
import { PLACEHOLDER } from "../../../../shared/contract/secrets.ts";
import {
  accountPlatformCredentialsShape,
  bambooHrApiCredentialsShape,
  bambooHrKeysShape,
  osisCredentialsShape,
  signingKeysShape,
} from "../../../../shared/runtime/credentials/secret-shapes.ts";
import type { ShapeResult } from "../../../../shared/runtime/credentials/shape-checks.ts";

/** Keys of 32 and 40 bytes: BambooHR keys must have at least 32. */
const K1 = "k1".padEnd(32, "-");
const K2 = "k2".padEnd(40, "-");

const STILL_PLACEHOLDER = "still holds the placeholder: fill in the secret";
const EMPTY = "Too small: expected string to have >=1 characters";

const problems = (result: ShapeResult<unknown>) => (result.ok ? [] : result.problems);
const messages = (result: ShapeResult<unknown>) => problems(result).map((p) => p.message);
const accepted = <T>(result: ShapeResult<T>): T => {
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problems)}`);
  return result.value;
};

describe("the account platform's secret", () => {
  it("gives the client id and secret, and nothing else the secret holds", () => {
    expect(
      accepted(accountPlatformCredentialsShape({ clientId: "id", clientSecret: "s", note: "x" })),
    ).toEqual({ clientId: "id", clientSecret: "s" });
  });

  it("names every problem by its field, in zod's words where zod found them before", () => {
    expect(problems(accountPlatformCredentialsShape({}))).toEqual([
      { path: ["clientId"], message: "Invalid input: expected string, received undefined" },
      { path: ["clientSecret"], message: "Invalid input: expected string, received undefined" },
    ]);
    expect(problems(accountPlatformCredentialsShape({ clientId: 1, clientSecret: null }))).toEqual([
      { path: ["clientId"], message: "Invalid input: expected string, received number" },
      { path: ["clientSecret"], message: "Invalid input: expected string, received null" },
    ]);
    expect(
      problems(accountPlatformCredentialsShape({ clientId: "", clientSecret: PLACEHOLDER })),
    ).toEqual([
      { path: ["clientId"], message: EMPTY },
      { path: ["clientSecret"], message: STILL_PLACEHOLDER },
    ]);
  });

  it("refuses JSON that is not an object, at its root", () => {
    for (const [json, received] of [
      [null, "null"],
      [[], "array"],
      ["text", "string"],
      [7, "number"],
      [true, "boolean"],
    ] as const) {
      expect(problems(accountPlatformCredentialsShape(json))).toEqual([
        { path: [], message: `Invalid input: expected object, received ${received}` },
      ]);
    }
  });
});

describe("the OSIS secret: a username and password, or a token", () => {
  it("takes either, the username and password first when both are there", () => {
    expect(accepted(osisCredentialsShape({ username: "u", password: "p" }))).toEqual({
      username: "u",
      password: "p",
    });
    expect(accepted(osisCredentialsShape({ token: "t", username: 5 }))).toEqual({ token: "t" });
    expect(accepted(osisCredentialsShape({ username: "u", password: "p", token: "t" }))).toEqual({
      username: "u",
      password: "p",
    });
  });

  it("names the problems of the shape the secret meant: the one whose fields are all strings", () => {
    expect(problems(osisCredentialsShape({ username: "u", password: PLACEHOLDER }))).toEqual([
      { path: ["password"], message: STILL_PLACEHOLDER },
    ]);
    expect(problems(osisCredentialsShape({ username: "", password: "" }))).toEqual([
      { path: ["username"], message: EMPTY },
      { path: ["password"], message: EMPTY },
    ]);
    expect(problems(osisCredentialsShape({ token: PLACEHOLDER, username: "u" }))).toEqual([
      { path: ["token"], message: STILL_PLACEHOLDER },
    ]);
  });

  it('says "Invalid input" at the root when it cannot tell which shape was meant', () => {
    for (const json of [
      null,
      [],
      {},
      { username: "u" },
      { password: "p" },
      { token: 1 },
      { username: 1, password: "p" },
      { username: "", password: "", token: "" },
    ]) {
      expect(problems(osisCredentialsShape(json))).toEqual([
        { path: [], message: "Invalid input" },
      ]);
    }
  });
});

describe("signing key secrets", () => {
  it("refuse the placeholder for the Standard Webhooks keys", () => {
    expect(messages(signingKeysShape({ keys: [PLACEHOLDER] }))).toEqual([
      "still holds the placeholder: fill in the secret",
    ]);
  });

  it("name each bad key by its position, and a list that is missing, not a list, or empty", () => {
    expect(problems(signingKeysShape({ keys: ["", 1, null, "ok"] }))).toEqual([
      { path: ["keys", 0], message: EMPTY },
      { path: ["keys", 1], message: "Invalid input: expected string, received number" },
      { path: ["keys", 2], message: "Invalid input: expected string, received null" },
    ]);
    expect(problems(signingKeysShape({}))).toEqual([
      { path: ["keys"], message: "Invalid input: expected array, received undefined" },
    ]);
    expect(problems(signingKeysShape({ keys: "k" }))).toEqual([
      { path: ["keys"], message: "Invalid input: expected array, received string" },
    ]);
    expect(problems(signingKeysShape({ keys: [] }))).toEqual([
      { path: ["keys"], message: "must hold at least one key" },
    ]);
    expect(accepted(signingKeysShape({ keys: ["a", "b"] }))).toEqual({ keys: ["a", "b"] });
  });

  it("read BambooHR's untouched secret as no keys, since BambooHR is optional", () => {
    expect(accepted(bambooHrKeysShape({ keys: [PLACEHOLDER] }))).toEqual({ keys: [] });
    expect(accepted(bambooHrKeysShape({ keys: [K1, K2] }))).toEqual({ keys: [K1, K2] });
  });

  it("refuse a BambooHR placeholder next to real keys, an empty list, or no list", () => {
    expect(messages(bambooHrKeysShape({ keys: [K1, PLACEHOLDER] }))).toEqual([
      "still holds the placeholder: fill in the secret",
    ]);
    expect(problems(bambooHrKeysShape({ keys: [PLACEHOLDER, PLACEHOLDER] }))).toEqual([
      { path: ["keys", 0], message: STILL_PLACEHOLDER },
      { path: ["keys", 1], message: STILL_PLACEHOLDER },
    ]);
    expect(messages(bambooHrKeysShape({ keys: [] }))).toEqual(["must hold at least one key"]);
    expect(bambooHrKeysShape({}).ok).toBe(false);
  });

  it("refuse a BambooHR key shorter than 32 bytes, like a placeholder, naming only its position", () => {
    const short = "k".repeat(31);
    const result = bambooHrKeysShape({ keys: [K1, short] });
    expect(problems(result)).toEqual([
      { path: ["keys", 1], message: "is shorter than 32 bytes: use the key BambooHR showed" },
    ]);
    expect(JSON.stringify(result)).not.toContain(short);
    expect(messages(bambooHrKeysShape({ keys: ["é".repeat(16)] }))).toEqual([]);
  });

  it("check BambooHR's key lengths only once every key is a non-empty string", () => {
    expect(problems(bambooHrKeysShape({ keys: ["", "short"] }))).toEqual([
      { path: ["keys", 0], message: EMPTY },
    ]);
  });
});

describe("BambooHR's API secret", () => {
  it("reads the untouched secret as no API key, and a filled one as it is", () => {
    expect(
      accepted(bambooHrApiCredentialsShape({ apiKey: PLACEHOLDER, companyDomain: PLACEHOLDER })),
    ).toBeUndefined();
    expect(accepted(bambooHrApiCredentialsShape({ apiKey: "k", companyDomain: "acme-2" }))).toEqual(
      {
        apiKey: "k",
        companyDomain: "acme-2",
      },
    );
  });

  it("refuses a placeholder beside a real value, and a domain that is not a subdomain label", () => {
    const domainRule = "must be the company's subdomain of bamboohr.com (letters, digits and -)";
    expect(
      problems(bambooHrApiCredentialsShape({ apiKey: PLACEHOLDER, companyDomain: "acme" })),
    ).toEqual([{ path: ["apiKey"], message: STILL_PLACEHOLDER }]);
    expect(
      problems(bambooHrApiCredentialsShape({ apiKey: "k", companyDomain: PLACEHOLDER })),
    ).toEqual([{ path: ["companyDomain"], message: STILL_PLACEHOLDER }]);
    for (const companyDomain of ["a.b", "-acme", "acme-", "evil.com/x", "a b"]) {
      expect(problems(bambooHrApiCredentialsShape({ apiKey: "k", companyDomain }))).toEqual([
        { path: ["companyDomain"], message: domainRule },
      ]);
    }
    expect(
      problems(bambooHrApiCredentialsShape({ apiKey: PLACEHOLDER, companyDomain: "a b" })),
    ).toEqual([
      { path: ["apiKey"], message: STILL_PLACEHOLDER },
      { path: ["companyDomain"], message: domainRule },
    ]);
  });

  it("names missing and empty fields before any other rule", () => {
    expect(problems(bambooHrApiCredentialsShape({ apiKey: "" }))).toEqual([
      { path: ["apiKey"], message: EMPTY },
      { path: ["companyDomain"], message: "Invalid input: expected string, received undefined" },
    ]);
    expect(problems(bambooHrApiCredentialsShape({ apiKey: 1, companyDomain: "-x" }))).toEqual([
      { path: ["apiKey"], message: "Invalid input: expected string, received number" },
    ]);
  });
});
