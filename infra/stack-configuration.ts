import { CONTEXT_PREFIX, type ContextValues } from "./context-keys.ts";

/** What the platform keys default to, so that `cdk synth` works from a fresh clone. */
export const EXAMPLE_VALUES = {
  accountPlatformUrl: "https://account.example.com",
  accountPlatformTenantId: "00000000-0000-4000-8000-000000000001",
  osisUrl: "https://osis.example.com",
  osisCdTenantId: "00000000-0000-4000-8000-000000000002",
} as const;

/** The stack's configuration, in the shape its parts take, from the checked context values. */
export function stackConfigurationOf(context: ContextValues) {
  /** Keys still at their example value: fine for synth, not for a real deployment. */
  const exampleValuesInUse: string[] = [];
  const orExample = (key: keyof typeof EXAMPLE_VALUES): string => {
    const value = context[key];
    if (value !== undefined) return value;
    exampleValuesInUse.push(`${CONTEXT_PREFIX}${key}`);
    return EXAMPLE_VALUES[key];
  };
  return {
    stackName: context.stackName,
    accountPlatform: {
      url: orExample("accountPlatformUrl"),
      tenantId: orExample("accountPlatformTenantId"),
    },
    osis: {
      url: orExample("osisUrl"),
      basePath: context.osisBasePath,
      cdTenantId: orExample("osisCdTenantId"),
      cdTenantIds:
        context.osisCdTenantIds || (context.osisCdTenantId ?? EXAMPLE_VALUES.osisCdTenantId),
    },
    protectedAccounts: context.protectedAccounts,
    alarmEmail: context.alarmEmail,
    consumer: {
      maxConcurrency: context.consumerMaxConcurrency,
      timeoutSeconds: context.consumerTimeoutSeconds,
      memoryMb: context.consumerMemoryMb,
      tuning: context.consumerTuning,
    },
    webhook: {
      throttleRatePerSecond: context.webhookThrottleRatePerSecond,
      throttleBurst: context.webhookThrottleBurst,
      routeThrottles: {
        events: {
          ratePerSecond: context.webhookEventsThrottleRatePerSecond,
          burst: context.webhookEventsThrottleBurst,
        },
        bamboohr: {
          ratePerSecond: context.webhookBambooHrThrottleRatePerSecond,
          burst: context.webhookBambooHrThrottleBurst,
        },
      },
      waf: context.webhookWaf
        ? { requestsPerMinute: context.webhookWafRequestsPerMinute }
        : undefined,
      tuning: context.webhookTuning,
    },
    scim: {
      throttle: {
        ratePerSecond: context.webhookScimThrottleRatePerSecond,
        burst: context.webhookScimThrottleBurst,
      },
      tuning: context.scimTuning,
    },
    reconcile: {
      schedule: context.reconcileSchedule,
      maxPassHours: context.reconcileMaxPassHours,
    },
    logLevel: context.logLevel,
    logRetentionDays: context.logRetentionDays,
    queueAgeAlarmMinutes: context.queueAgeAlarmMinutes,
    deletionProtection: context.deletionProtection,
    outcomes: {
      eventBusName: context.eventBusName,
      source: context.outcomeSource,
      archiveDays: context.outcomeArchiveDays,
      webhook:
        context.outcomeWebhookUrl === undefined
          ? undefined
          : { url: context.outcomeWebhookUrl, apiKeyHeader: context.outcomeWebhookApiKeyHeader },
    },
    /** Existing secrets to use instead of creating them (complete ARNs). */
    importedSecretArns: {
      accountPlatform: context.accountPlatformSecretArn,
      osis: context.osisSecretArn,
      webhook: context.webhookSecretArn,
      bambooHr: context.bambooHrSecretArn,
      bambooHrApi: context.bambooHrApiSecretArn,
      scimToken: context.scimTokenSecretArn,
    },
    exampleValuesInUse: exampleValuesInUse as readonly string[],
  };
}

export type StackConfiguration = ReturnType<typeof stackConfigurationOf>;
