/**
 * Architecture models: the detector, embedder and swapper with their real layer structure and size
 * but seeded random weights (scripts/models/architecture/), for the neural benchmark. Deterministic:
 * the same bytes and SHA-256 every run. Never committed.
 *
 *   npx tsx scripts/models/architecture.ts [--out DIR] [--only swapper,embedder,detector]
 *
 * Writes DIR/swapper.onnx (+ swapper.emap.bin: the last initializer as raw little-endian
 * float32), DIR/embedder.onnx, DIR/detector.onnx and DIR/manifest.json (entries as
 * src/shared/manifest.ts, paths relative to DIR); prints JSON with sizes, parameter counts and SHA-256.
 * Each graph is checked against its role's contract before and after writing.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  parseModelManifest,
  type ModelManifest,
  type ModelManifestEntry,
} from '../../src/shared/manifest.ts';
import { checkContract, modelContracts, type ModelContract } from '../../src/shared/model-contracts.ts';
import { emapFromInitializer, emapSize, readOnnxGraph } from '../../src/shared/onnx-graph.ts';
import { arcfaceR50Graph } from './architecture/arcface-r50.ts';
import { inswapperGraph } from './architecture/inswapper.ts';
import { parameterCount, type ArchitectureGraph, type FloatInit } from './architecture/layers.ts';
import { scrfd10gGraph } from './architecture/scrfd-10g.ts';
import { initializerValues, writeGraph } from './architecture/write.ts';
import { graphSignature } from './onnx.ts';
import { mergeModels } from './operator.ts';

export const architectureRoles = ['swapper', 'embedder', 'detector'] as const;
export type ArchitectureRole = (typeof architectureRoles)[number];

const builders: Record<ArchitectureRole, (options: { width?: number }) => ArchitectureGraph> = {
  swapper: inswapperGraph,
  embedder: arcfaceR50Graph,
  detector: scrfd10gGraph,
};

export const defaultArchitectureDir = '.cache/models/architecture';

/** The role's graph; `width` scales every channel count (1 = the real size). */
export const architectureGraph = (role: ArchitectureRole, width = 1): ArchitectureGraph =>
  builders[role]({ width });

export const roleContract = (role: ArchitectureRole): ModelContract => modelContracts[role][0]!;

/** The first way the graph's inputs and outputs depart from its role's contract, or null. */
export function graphContractProblem(role: ArchitectureRole, graph: ArchitectureGraph): string | null {
  return checkContract(
    graphSignature({ graph: { input: graph.inputs, output: graph.outputs } }),
    roleContract(role),
  );
}

export interface ArchitectureReport {
  role: ArchitectureRole;
  file: string;
  bytes: number;
  parameters: number;
  sha256: string;
  emap?: { file: string; bytes: number; sha256: string };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Writes one role's model (and the swapper's emap) into `dir`, checked against its contract. */
export function writeArchitectureModel(role: ArchitectureRole, dir: string, width = 1): ArchitectureReport {
  const graph = architectureGraph(role, width);
  const before = graphContractProblem(role, graph);
  if (before) throw new Error(`${role}: ${before}`);
  mkdirSync(dir, { recursive: true });
  const file = `${role}.onnx`;
  const written = writeGraph(graph, join(dir, file));
  const read = readOnnxGraph(new Uint8Array(readFileSync(join(dir, file))));
  const after = checkContract(read.signature, roleContract(role));
  if (after) throw new Error(`${role}: the written file ${after}`);
  const report: ArchitectureReport = { role, file, ...written, parameters: parameterCount(graph) };
  if (role === 'swapper') {
    const last = graph.initializers.at(-1) as FloatInit;
    const values = initializerValues(last, graph.seed);
    const emap = new Uint8Array(values.buffer);
    if (sha256(emapFromInitializer(read.lastInitializer)) !== sha256(emap))
      throw new Error('swapper: the emap read back differs from the one written');
    const emapFile = `${role}.emap.bin`;
    writeFileSync(join(dir, emapFile), emap);
    report.emap = { file: emapFile, bytes: emap.byteLength, sha256: sha256(emap) };
  }
  return report;
}

export function manifestEntry(report: ArchitectureReport): ModelManifestEntry {
  const contract = roleContract(report.role);
  const files = [{ path: report.file, bytes: report.bytes, sha256: report.sha256 }];
  if (report.emap) files.push({ path: report.emap.file, ...report.emap });
  return {
    id: `architecture-${report.role}`,
    role: report.role,
    name: `${contract.reference}: same layers, random weights (benchmark only)`,
    license: 'Generated random weights (scripts/models/architecture.ts), no license terms',
    files,
    contract: contract.id,
    ...(report.emap ? { emap: { path: report.emap.file, rows: emapSize, cols: emapSize } } : {}),
    operator: true,
  };
}

/** Writes the roles' models into `dir` and merges their entries into DIR/manifest.json. */
export function writeArchitectureModels(
  dir: string,
  roles: readonly ArchitectureRole[] = architectureRoles,
): ArchitectureReport[] {
  const reports = roles.map((role) => writeArchitectureModel(role, dir));
  const manifestPath = join(dir, 'manifest.json');
  const previous = existsSync(manifestPath)
    ? parseModelManifest(JSON.parse(readFileSync(manifestPath, 'utf8'))).models
    : [];
  const manifest: ModelManifest = { models: mergeModels(previous, reports.map(manifestEntry)) };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return reports;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: defaultArchitectureDir },
      only: { type: 'string', default: architectureRoles.join(',') },
    },
  });
  const roles = values.only.split(',').map((role) => role.trim());
  const unknown = roles.filter((role) => !(architectureRoles as readonly string[]).includes(role));
  if (unknown.length) {
    console.error(`architecture: unknown role ${unknown.join(', ')}; use ${architectureRoles.join(',')}`);
    process.exit(2);
  }
  const started = performance.now();
  const reports = writeArchitectureModels(values.out, roles as ArchitectureRole[]);
  console.log(
    JSON.stringify(
      { dir: values.out, seconds: Math.round((performance.now() - started) / 100) / 10, models: reports },
      null,
      2,
    ),
  );
}
