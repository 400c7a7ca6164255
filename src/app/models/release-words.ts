/**
 * What an imported file is, by its SHA-256 (a known public release, src/shared/known-models.ts) and
 * by its graph (the contract it fits): the words of the per-file results and of the imported table.
 */
import { findContract } from '../../shared/model-contracts';
import {
  findRelease,
  knownReleases,
  parseReleases,
  releaseName,
  type KnownRelease,
} from '../../shared/known-models';
import type { ImportedModel } from './imported-models';

declare global {
  interface Window {
    /**
     * Test fixture releases: a browser test sets this (before the page loads) to releases of its own
     * generated models, so that recognising a known hash can be tested without the real weights.
     */
    doppelTestFixtureReleases?: unknown;
  }
}

/** The known releases, and the test fixture releases when a test set them. */
export const releasesToMatch = (): readonly KnownRelease[] => [
  ...knownReleases,
  ...parseReleases(globalThis.window?.doppelTestFixtureReleases ?? []),
];

/** The known release an imported model is, or null. */
export const releaseOf = (model: Pick<ImportedModel, 'sha256'>): KnownRelease | null =>
  findRelease(model.sha256, releasesToMatch());

const contractName = (model: ImportedModel) => findContract(model.contract)?.reference ?? model.contract;

/** One line saying what the file is: "this is inswapper_128, fp32 (insightface's release)…". */
export function recognitionWords(model: ImportedModel): string {
  const release = releaseOf(model);
  return release
    ? `This is ${releaseName(release)}, a known release; its graph fits the ${model.role} contract.`
    : `Not a known release; its graph fits the ${model.role} contract (${contractName(model)}).`;
}
