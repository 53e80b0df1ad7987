/** The media type of a Content-Type header, lower-cased, parameters (`; charset=…`) dropped. */
export function mediaType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

export const SINGLE_EVENT_TYPES = ["application/cloudevents+json", "application/json"] as const;
export const BATCH_EVENT_TYPE = "application/cloudevents-batch+json";
