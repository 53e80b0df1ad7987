/**
 * A stand-in for BambooHR's employee API, for event-based deliveries: they carry no values, so
 * the webhook reads the employee back. A real HTTP server with Basic auth by API key, field
 * selection, unreadable fields, and the common fault machinery and control surface.
 */
import type { CallLog } from "../common/call-log.ts";
import type { SimulatorUsers } from "../common/control-routes.ts";
import type { FaultInjector } from "../common/fault-injector.ts";
import { SimulatorServer } from "../common/simulator-server.ts";
import {
  type BambooHrEmployee,
  BambooHrEmployeeStore,
  type SeedBambooHrEmployee,
} from "./bamboohr-employees.ts";
import { bambooHrErrorFor, bambooHrRoutes } from "./bamboohr-routes.ts";

export interface BambooHrSimulatorOptions {
  /** 0 (default) = ephemeral. */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** Accepted API keys (the Basic user name); none = every call is refused with 401. */
  apiKeys?: string[];
  /** The company domain of the older gateway.php route. Default "acme". */
  companyDomain?: string;
  /** Fields the API key may not read (left out of answers), by API alias. */
  unreadableFields?: string[];
}

export class BambooHrSimulator {
  /** The origin, e.g. "http://127.0.0.1:40125": BAMBOOHR_API_URL. */
  readonly url: string;
  readonly companyDomain: string;
  readonly faults: FaultInjector;
  readonly calls: CallLog;
  readonly #server: SimulatorServer;
  readonly #employees: BambooHrEmployeeStore;

  private constructor(
    server: SimulatorServer,
    employees: BambooHrEmployeeStore,
    companyDomain: string,
  ) {
    this.#server = server;
    this.#employees = employees;
    this.companyDomain = companyDomain;
    this.url = server.url;
    this.faults = server.faults;
    this.calls = server.calls;
  }

  static async start(options: BambooHrSimulatorOptions = {}): Promise<BambooHrSimulator> {
    const employees = new BambooHrEmployeeStore();
    const companyDomain = options.companyDomain ?? "acme";
    const server = await SimulatorServer.start(
      {
        routes: bambooHrRoutes({
          employees,
          apiKeys: [...(options.apiKeys ?? [])],
          companyDomain,
          unreadableFields: new Set(options.unreadableFields ?? []),
        }),
        errorResponse: bambooHrErrorFor,
        users: controlEmployees(employees),
      },
      { port: options.port, host: options.host },
    );
    return new BambooHrSimulator(server, employees, companyDomain);
  }

  seedEmployee(employee: SeedBambooHrEmployee): BambooHrEmployee {
    return this.#employees.seed(employee);
  }

  employee(id: string): BambooHrEmployee | undefined {
    return this.#employees.get(id);
  }

  employees(): BambooHrEmployee[] {
    return this.#employees.all();
  }

  /** A hand edit in BambooHR (`{"status": "Inactive"}`). */
  setEmployee(id: string, patch: Record<string, string | null>): BambooHrEmployee {
    const edited = this.#employees.edit(id, patch);
    if (edited === undefined) throw new RangeError(`no BambooHR employee ${id}`);
    return edited;
  }

  deleteEmployee(id: string): boolean {
    return this.#employees.delete(id);
  }

  stop(): Promise<void> {
    return this.#server.stop();
  }
}

function controlEmployees(employees: BambooHrEmployeeStore): SimulatorUsers {
  return {
    seed: (input) => employees.seed(input as SeedBambooHrEmployee),
    list: () => employees.all(),
    get: ([id, ...rest]) => (id === undefined || rest.length > 0 ? undefined : employees.get(id)),
    edit: ([id, ...rest], patch) =>
      id === undefined || rest.length > 0 ? undefined : employees.edit(id, patch),
  };
}
