import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import * as z from "zod";
import { LocalStackFileError } from "../errors/settings-errors.ts";

/**
 * `.lifecycle/local.json`: how the running local stack is found by the CLI and other tools.
 * The keys are a contract (docs/local.md, ".lifecycle/local.json"). Credentials appear only
 * for simulated platforms, whose credentials are generated for this one local run.
 */
export const LOCAL_STACK_FILE = join(".lifecycle", "local.json");
/** Where the local EventBridge stand-in appends each outcome event, one JSON line each. */
export const LOCAL_OUTCOMES_FILE = join(".lifecycle", "outcomes.ndjson");

export const localStackFileSchema = z.object({
  region: z.string(),
  sqsEndpoint: z.string(),
  dynamodbEndpoint: z.string(),
  queueUrl: z.string(),
  dlqUrl: z.string(),
  ledgerTable: z.string(),
  webhookUrl: z.string(),
  webhookSecret: z.string(),
  /** The SCIM endpoint and this run's bearer token (absent: a stack from before SCIM). */
  scimUrl: z.string().optional(),
  scimToken: z.string().optional(),
  accountPlatform: z.object({
    url: z.string(),
    tenantId: z.string(),
    simulated: z.boolean(),
    clientId: z.string().optional(),
    clientSecret: z.string().optional(),
  }),
  osis: z.object({
    url: z.string(),
    basePath: z.string(),
    cdTenantId: z.string(),
    simulated: z.boolean(),
    username: z.string().optional(),
    password: z.string().optional(),
  }),
  /** The outcome bus: the stand-in's endpoint, the bus name, the file of its events (docs/outcomes.md). */
  eventBridgeEndpoint: z.string().optional(),
  outcomeBusName: z.string().optional(),
  outcomesFile: z.string().optional(),
});
export type LocalStackFile = z.infer<typeof localStackFileSchema>;

/** Writes the file with mode 0600 (it holds local credentials), atomically. */
export async function writeLocalStackFile(
  contents: LocalStackFile,
  path = LOCAL_STACK_FILE,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(contents, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

/**
 * Reads the file; `undefined` when no local stack has written one. A file that is there but
 * cannot be read or is not the local stack's is a LocalStackFileError naming it, never ignored:
 * the CLI would otherwise act somewhere else than the operator thinks.
 */
export async function readLocalStackFile(
  path = LOCAL_STACK_FILE,
): Promise<LocalStackFile | undefined> {
  let raw: string;
  try {
    raw = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new LocalStackFileError(path, { cause: error });
  }
  try {
    return localStackFileSchema.parse(JSON.parse(raw));
  } catch (error) {
    throw new LocalStackFileError(path, { cause: error });
  }
}
