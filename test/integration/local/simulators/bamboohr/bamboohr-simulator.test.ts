import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BambooHrSimulator } from "../../../../../local/simulators/bamboohr/bamboohr-simulator.ts";
import { basic } from "../helpers.ts";

const API_KEY = "bamboohr-simulator-test-key";
const AUTH = basic(API_KEY, "x");

let sim: BambooHrSimulator;
beforeAll(async () => {
  sim = await BambooHrSimulator.start({
    apiKeys: [API_KEY],
    companyDomain: "acme",
    unreadableFields: ["ssn"],
  });
  sim.seedEmployee({ id: 1001, status: "Active", employeeNumber: "emp-1001", ssn: "123" });
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.faults.reset();
  sim.calls.clear();
});

const get = (path: string, authorization: string | null = AUTH) =>
  fetch(`${sim.url}${path}`, {
    headers: { accept: "application/json", ...(authorization ? { authorization } : {}) },
  });

describe("BambooHrSimulator", () => {
  it("answers the asked fields it has and the key may read, under both routes", async () => {
    for (const path of [
      "/api/v1/employees/1001?fields=status,employeeNumber,workEmail,ssn",
      "/api/gateway.php/acme/v1/employees/1001?fields=status,employeeNumber,workEmail,ssn",
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(await response.json()).toEqual({
        id: "1001",
        status: "Active",
        employeeNumber: "emp-1001",
      });
    }
    expect(sim.calls.all().map((call) => call.operation)).toEqual(["getEmployee", "getEmployee"]);
  });

  it("refuses a missing or unknown API key with 401, and answers 404 for an unknown employee or company", async () => {
    expect((await get("/api/v1/employees/1001?fields=status", null)).status).toBe(401);
    const wrong = await get("/api/v1/employees/1001?fields=status", basic("other", "x"));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("x-bamboohr-error-message")).toBe("Invalid API key");
    expect((await get("/api/v1/employees/42?fields=status")).status).toBe(404);
    expect((await get("/api/gateway.php/globex/v1/employees/1001?fields=status")).status).toBe(404);
  });

  it("seeds, edits and deletes employees, also over the control surface", async () => {
    const seeded = await fetch(`${sim.url}/__simulator/users`, {
      method: "POST",
      body: JSON.stringify({ id: "1002", status: "Active" }),
    });
    expect(seeded.status).toBe(201);
    const edited = await fetch(`${sim.url}/__simulator/users/1002`, {
      method: "PATCH",
      body: JSON.stringify({ status: "Inactive" }),
    });
    expect(await edited.json()).toEqual({ id: "1002", status: "Inactive" });
    expect(sim.employee("1002")?.status).toBe("Inactive");
    const bad = await fetch(`${sim.url}/__simulator/users`, {
      method: "POST",
      body: JSON.stringify({ id: "../1" }),
    });
    expect(bad.status).toBe(400);
    expect(sim.deleteEmployee("1002")).toBe(true);
    expect((await get("/api/v1/employees/1002?fields=status")).status).toBe(404);
  });

  it("injects faults like the other simulators: a status, then the real answer", async () => {
    sim.faults.add({ operation: "getEmployee", status: 429, retryAfter: "7" });
    const limited = await get("/api/v1/employees/1001?fields=status");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect((await get("/api/v1/employees/1001?fields=status")).status).toBe(200);
  });
});
