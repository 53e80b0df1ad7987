import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLocalStackFile } from "../../../../shared/operator/configuration/local-stack-file.ts";
import { LocalStackFileError } from "../../../../shared/operator/errors/settings-errors.ts";

async function directory(): Promise<string> {
  return mkdtemp(join(tmpdir(), "local-stack-file-"));
}

describe("readLocalStackFile", () => {
  it("says there is no local stack when the file is absent", async () => {
    expect(await readLocalStackFile(join(await directory(), "local.json"))).toBeUndefined();
  });

  it("refuses a file that is not JSON, naming it", async () => {
    const path = join(await directory(), "local.json");
    await writeFile(path, "{ not json");
    const reading = readLocalStackFile(path);
    await expect(reading).rejects.toBeInstanceOf(LocalStackFileError);
    await expect(reading).rejects.toThrow(path);
  });

  it("refuses JSON that is not the local stack's file", async () => {
    const path = join(await directory(), "local.json");
    await writeFile(path, JSON.stringify({ queueUrl: "x" }));
    await expect(readLocalStackFile(path)).rejects.toBeInstanceOf(LocalStackFileError);
  });

  it("refuses a path it cannot read (a directory), naming it", async () => {
    const path = join(await directory(), "local.json");
    await mkdir(path);
    await expect(readLocalStackFile(path)).rejects.toThrow(new LocalStackFileError(path).message);
  });
});
