import type { OsisS3Credential } from "../../shared/runtime/platforms/osis/osis-credentials.ts";
import type { ConsumerEnvironment } from "./consumer-environment.ts";
import { OSIS_TENANT_ID, type SeededPerson } from "./people.ts";

/** A seeded person's OSIS S3 keys on the simulator: give, read and switch them by hand. */
export interface PersonKeys {
  ids: string[];
  secrets: string[];
  /** Access key id → active, as the simulator holds them now. */
  active(): Record<string, boolean>;
  switchOff(accessKey: string): void;
}

export function giveKeys(
  environment: ConsumerEnvironment,
  person: SeededPerson,
  count: number,
): PersonKeys {
  const userId = person.osisUser.user_id ?? "";
  const seeded: OsisS3Credential[] = Array.from({ length: count }, (_, i) =>
    environment.osis.seedCredential({
      tenant_id: OSIS_TENANT_ID,
      user_id: userId,
      access_key: `AK${person.subject.toUpperCase().replace(/[^A-Z0-9]/g, "")}${i + 1}`,
      active: person.osisActive() !== false,
    }),
  );
  return {
    ids: seeded.map((key) => key.access_key),
    secrets: seeded.map((key) => key.secret_key),
    active: () =>
      Object.fromEntries(
        environment.osis
          .credentials(OSIS_TENANT_ID, userId)
          .map((key) => [key.access_key, key.active !== false]),
      ),
    switchOff: (accessKey) => environment.osis.setCredentialActive(accessKey, false),
  };
}
