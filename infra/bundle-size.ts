import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Stage } from "aws-cdk-lib";
import type { Function as LambdaFunction } from "aws-cdk-lib/aws-lambda";
import type { Asset } from "aws-cdk-lib/aws-s3-assets";

export interface BundleSize {
  name: string;
  /** index.mjs as deployed. */
  codeBytes: number;
  /** index.mjs gzipped: close to what the deployment zip holds for it. */
  gzipBytes: number;
  sourceMapBytes: number;
}

/**
 * Measures a bundled function's code where CDK staged it in the cloud assembly. The bundle
 * exists as soon as the function is constructed: CDK bundles synchronously.
 */
export function measureBundle(name: string, fn: LambdaFunction): BundleSize {
  const asset = fn.node.tryFindChild("Code") as Asset | undefined;
  const outdir = Stage.of(fn)?.outdir;
  if (asset === undefined || outdir === undefined) {
    throw new Error(`${name}: the function has no staged code asset to measure`);
  }
  const directory = join(outdir, asset.assetPath);
  const code = readFileSync(join(directory, "index.mjs"));
  return {
    name,
    codeBytes: code.byteLength,
    gzipBytes: gzipSync(code).byteLength,
    sourceMapBytes: statSync(join(directory, "index.mjs.map")).size,
  };
}

export function formatBundleSize(size: BundleSize): string {
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
  return `bundle ${size.name}: index.mjs ${kib(size.codeBytes)} (gzip ${kib(size.gzipBytes)}), source map ${kib(size.sourceMapBytes)}`;
}
