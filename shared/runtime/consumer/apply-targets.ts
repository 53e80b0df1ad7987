import type { FailureTarget } from "../../contract/dead-letter-attributes.ts";
import { CircuitOpenError } from "../errors/platform-errors.ts";
import { type LifecycleEvent, wantsEnabled } from "../events/lifecycle-event.ts";
import { OPEN_WRITE_GATE, onceOnly } from "../guard/write-gate.ts";
import { isRememberedSubject } from "../ledger/account-user-item.ts";
import { markTargetDone } from "../ledger/person-ledger-rules.ts";
import type { ResolvedTargets } from "../ledger/person-record.ts";
import type { ClaimedPerson } from "./claimed-person.ts";
import { classifyFailure } from "./failure-classification.ts";
import { writeOsisMindingLateWrites } from "./late-write-step.ts";
import type { RecordContext, RecordSteps } from "./record-steps.ts";
import {
  applyAccountPlatform,
  refuseProtectedAccountUser,
  resolveAccountPlatformUser,
} from "./targets/account-platform-target.ts";
import { applyOsisWithKeys, keyProgressOf } from "./targets/osis-keys-step.ts";
import { refuseProtectedOsisUser, resolveOsisUser } from "./targets/osis-target.ts";
import type { TargetChange } from "./targets/target-change.ts";

/**
 * Resolves every target still to do (both at once) before writing any, so a refusal or a
 * permanent lookup failure stops the event before it changed anything. The platforms are
 * independent for transient failures: a target whose read or write failed transiently (or
 * whose breaker is open) does not hold the other back. Each target applied is marked done in
 * the ledger, so a retry does not touch it again; then the failure is reported.
 */
export async function applyTargets(
  steps: RecordSteps,
  event: LifecycleEvent,
  person: ClaimedPerson,
  attempt: number,
  context: RecordContext,
): Promise<FailureTarget[]> {
  const { signal } = context;
  const { accountOptions, osisOptions } = steps;
  const want = wantsEnabled(event);
  const { accountTarget, osisTarget } = targetsToDo(event, person.record.inProgress?.done);

  const failures: unknown[] = [];
  const settled = <T>(read: PromiseSettledResult<T>): T | undefined => {
    if (read.status === "fulfilled") return read.value;
    if (classifyFailure(read.reason).kind === "permanent") throw read.reason;
    failures.push(read.reason);
    return undefined;
  };
  const [accountRead, osisRead] = await Promise.allSettled([
    accountTarget && resolveAccountPlatformUser(accountTarget, accountOptions, signal),
    osisTarget && resolveOsisUser(osisTarget, osisOptions, signal),
  ]);
  // In target order, whatever answered first.
  const account = settled(accountRead);
  const osis = settled(osisRead);
  if (!want) {
    const { protectedAccounts } = steps.deps.config;
    if (account) refuseProtectedAccountUser(account, protectedAccounts);
    if (osis) refuseProtectedOsisUser(osis, protectedAccounts);
  }

  const gate = steps.deps.writeGate ?? OPEN_WRITE_GATE;
  const openGate = onceOnly(() =>
    gate.beforeFirstWrite(event, { subject: event.subject, attempt, signal }),
  );
  const written: FailureTarget[] = [];
  const apply = async (
    target: FailureTarget,
    write: () => Promise<TargetChange>,
    resolved: ResolvedTargets,
    last: boolean,
  ) => {
    let change: TargetChange;
    try {
      change = await write();
    } catch (error) {
      if (classifyFailure(error).kind === "permanent") throw error;
      failures.push(error);
      return;
    }
    if (change !== "unchanged") written.push(target);
    const next = markTargetDone({ record: person.record, target, resolved, now: steps.now() });
    // One ledger write fewer per event: the completion write follows at once and carries
    // it (and so does the release after a failure). Should that write fail, the retry reads
    // this target, finds it already as wanted, and does not write it again.
    if (last) person.stage(next);
    else await person.save(next);
  };
  if (account) {
    await rememberAccountUser(steps, person, account.id);
    await apply(
      "account-platform",
      () => applyAccountPlatform(account, want, accountOptions, openGate, signal),
      { accountPlatform: { userId: account.id } },
      osis === undefined,
    );
  }
  if (osis) {
    await apply(
      "osis",
      () => {
        const { credentials } = steps.deps.config.osis;
        const keys = keyProgressOf(credentials, event, person, steps.now);
        return writeOsisMindingLateWrites(steps, person, want, () =>
          applyOsisWithKeys(osis, want, osisOptions, openGate, signal, keys),
        );
      },
      { osis: { tenantId: osis.tenantId, userId: osis.userId } },
      true,
    );
  }
  // A real failure counts before a wait for an open breaker.
  const failure =
    failures.find((error) => classifyFailure(error).kind !== "waiting") ?? failures[0];
  if (failure !== undefined) throw failure;
  return written;
}

/**
 * The SCIM function finds a person's subject by their account platform user
 * (account-user-item.ts): written once per person and user, before any write, so a failure
 * here retries the event rather than leaving SCIM's events in an order of their own.
 */
async function rememberAccountUser(
  steps: RecordSteps,
  person: ClaimedPerson,
  accountUserId: string,
): Promise<void> {
  const { record } = person;
  if (record.rememberedAccountUserId === accountUserId || !isRememberedSubject(record.subject)) {
    return;
  }
  await steps.deps.ledger.rememberAccountUser(accountUserId, record.subject);
  person.stage({ ...record, rememberedAccountUserId: accountUserId });
}

/**
 * A `CircuitOpenError` when every target left to do is on a platform whose breaker is open
 * (and no probe is due), so the record waits without an attempt; undefined otherwise.
 */
export async function waitingFor(
  steps: RecordSteps,
  event: LifecycleEvent,
  done: readonly FailureTarget[] | undefined,
): Promise<CircuitOpenError | undefined> {
  const { breakers } = steps.deps;
  if (!breakers) return undefined;
  const { accountTarget, osisTarget } = targetsToDo(event, done);
  const platforms: FailureTarget[] = [
    ...(accountTarget ? (["account-platform"] as const) : []),
    ...(osisTarget ? (["osis"] as const) : []),
  ];
  let waiting: CircuitOpenError | undefined;
  for (const platform of platforms) {
    const retryAt = await breakers[platform].waitingUntil();
    if (retryAt === undefined) return undefined;
    waiting ??= new CircuitOpenError(
      `${platform}: not called, its circuit breaker is open (it stopped answering)`,
      { platform, operation: "apply", retryAt },
    );
  }
  return waiting;
}

/** The targets an event names that are not done yet for it. */
function targetsToDo(event: LifecycleEvent, done: readonly FailureTarget[] = []) {
  return {
    accountTarget: done.includes("account-platform") ? undefined : event.data.accountPlatform,
    osisTarget: done.includes("osis") ? undefined : event.data.osis,
  };
}
