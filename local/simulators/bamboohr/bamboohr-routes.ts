/**
 * BambooHR's employee API as the webhook uses it: `GET /api/v1/employees/{id}?fields=a,b` (and
 * the older `/api/gateway.php/{companyDomain}/v1/employees/{id}`), HTTP Basic with the API key
 * as user name and any password. Fields the key may not read are left out of the answer;
 * errors are an empty body with `X-BambooHR-Error-Message`, as BambooHR sends them.
 */
import { STATUS_CODES } from "node:http";
import { readAuthorization } from "../common/authorization.ts";
import {
  jsonResponse,
  type SimulatorRequest,
  type SimulatorResponse,
} from "../common/http-exchange.ts";
import type { Route } from "../common/route-table.ts";
import type { BambooHrEmployeeStore } from "./bamboohr-employees.ts";

export interface BambooHrRouteContext {
  employees: BambooHrEmployeeStore;
  apiKeys: readonly string[];
  companyDomain: string;
  /** Fields this API key may not read: left out of every answer. */
  unreadableFields: ReadonlySet<string>;
}

export function bambooHrError(status: number, message: string): SimulatorResponse {
  return {
    status,
    headers: { "x-bamboohr-error-message": message.replace(/[^\x20-\x7e]/g, "?") },
    body: "",
  };
}

/** What a fault or an unknown path answers with only a status to go on. */
export function bambooHrErrorFor(status: number, message: string): SimulatorResponse {
  return bambooHrError(status, `${STATUS_CODES[status] ?? "Error"}: ${message}`);
}

export function bambooHrRoutes(context: BambooHrRouteContext): Route[] {
  const getEmployee = (request: SimulatorRequest): SimulatorResponse => {
    const auth = readAuthorization(request.headers.authorization);
    if (auth?.scheme !== "basic" || !context.apiKeys.includes(auth.username)) {
      return {
        ...bambooHrError(401, "Invalid API key"),
        headers: {
          ...bambooHrError(401, "Invalid API key").headers,
          "www-authenticate": 'Basic realm="BambooHR"',
        },
      };
    }
    if (
      request.params.companyDomain !== undefined &&
      request.params.companyDomain !== context.companyDomain
    ) {
      return bambooHrError(404, "Unknown company domain");
    }
    const employee = context.employees.get(request.params.id ?? "");
    if (employee === undefined) return bambooHrError(404, "Employee not found");
    const fields = (request.query.get("fields") ?? "").split(",").map((field) => field.trim());
    const answer: Record<string, string | null> = { id: employee.id };
    for (const field of fields) {
      if (field === "" || field === "id" || context.unreadableFields.has(field)) continue;
      if (Object.hasOwn(employee, field)) answer[field] = employee[field] ?? null;
    }
    return jsonResponse(200, answer);
  };
  return [
    { method: "GET", path: "/api/v1/employees/:id", operation: "getEmployee", handle: getEmployee },
    {
      method: "GET",
      path: "/api/gateway.php/:companyDomain/v1/employees/:id",
      operation: "getEmployee",
      handle: getEmployee,
    },
  ];
}
