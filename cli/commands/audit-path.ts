import { AuditLog, DEFAULT_AUDIT_LOG } from "../../shared/runtime/audit/audit-log.ts";
import { CommandFailure } from "../cli-errors.ts";
import type { CommandContext } from "../command-context.ts";

/** `--audit-log PATH`, else LIFECYCLE_AUDIT_LOG, else `.lifecycle/audit.log`. */
export const AUDIT_LOG_OPTION_HELP = `append the audit trail (JSON lines) here (default: $LIFECYCLE_AUDIT_LOG or ${DEFAULT_AUDIT_LOG})`;

export async function openAuditLog(
  context: CommandContext,
  flag: string | undefined,
  environment: string,
): Promise<AuditLog> {
  const path = context.path(flag ?? context.env.LIFECYCLE_AUDIT_LOG ?? DEFAULT_AUDIT_LOG);
  try {
    return await AuditLog.open(path, { environment, now: context.now });
  } catch (error) {
    throw new CommandFailure(
      `Cannot write the audit log ${path}, so nothing was changed: choose another path with --audit-log.`,
      { detail: String((error as Error).message), cause: error },
    );
  }
}
