/**
 * The identifying fields of a body without validating it: for logs and outcomes of records
 * that were not (or could not be) processed as events. Values are bounded, never trusted.
 */
export interface PeekedEvent {
  eventId?: string | undefined;
  subject?: string | undefined;
  eventType?: string | undefined;
}

export function peekEvent(body: string): PeekedEvent {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return {};
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const fields = value as Record<string, unknown>;
  const text = (field: unknown) => (typeof field === "string" ? field.slice(0, 128) : undefined);
  return { eventId: text(fields.id), subject: text(fields.subject), eventType: text(fields.type) };
}
