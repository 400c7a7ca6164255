/**
 * Public releases of the neural engine's model files that Doppel recognises by their SHA-256. We never
 * download them: the list only lets the Models screen say which file a user brought ("this is
 * inswapper_128, fp32") and which files to look for. Every hash and size below was copied from a
 * public source named in `sources` (a Git LFS pointer, which records the file's own SHA-256 and size,
 * or a project's download list that checks the file's SHA-256); none is computed or guessed here. A
 * size is null where no source we could cite gives it. Add a release only with its source.
 */
import * as z from 'zod/mini';

export interface KnownRelease {
  /** SHA-256 of the whole file, lowercase hex. */
  sha256: string;
  /** Size in bytes, or null where no cited source gives it. */
  bytes: number | null;
  /** The file name it is published under. */
  fileName: string;
  /** The contract it fits (src/shared/model-contracts.ts). */
  contract: string;
  /** The model's usual name. */
  model: string;
  precision: 'fp32' | 'fp16';
  /** Who published this copy, in a few words. */
  release: string;
  /** Where the hash (and size) were read: repository, path, and the kind of record. */
  sources: readonly string[];
}

export const knownReleases: readonly KnownRelease[] = [
  {
    sha256: 'e4a3f08c753cb72d04e10aa0f7dbe3deebbf39567d4ead6dce08e98aa49e16af',
    bytes: 554_253_681,
    fileName: 'inswapper_128.onnx',
    contract: 'swapper/inswapper_128',
    model: 'inswapper_128',
    precision: 'fp32',
    release: "insightface's release",
    sources: [
      'github.com/thebiglaskowski/faceoff inswapper_128.onnx (Git LFS pointer: oid sha256 and size), commit 22267750',
      'github.com/Thomas19718/StableDiffusion inswapper_128.onnx (the same LFS pointer)',
    ],
  },
  {
    sha256: 'c4eccca86ad177586c85c28bf1a64a9d9ed237e283a15818d831f7facfd3f420',
    bytes: 277_680_829,
    fileName: 'inswapper_128_fp16.onnx',
    contract: 'swapper/inswapper_128',
    model: 'inswapper_128',
    precision: 'fp16',
    release: 'the fp16 copy mirrored on Hugging Face',
    sources: [
      'github.com/Hass7777/swap-models inswapper_128_fp16.onnx (Git LFS pointer: oid sha256 and size), commit d81b5d82',
    ],
  },
  {
    sha256: '6d51a9278a1f650cffefc18ba53f38bf2769bf4bbff89267822cf72945f8a38b',
    bytes: null,
    fileName: 'inswapper_128.fp16.onnx',
    contract: 'swapper/inswapper_128',
    model: 'inswapper_128',
    precision: 'fp16',
    release: "VisoMaster's fp16 copy",
    sources: ['github.com/visomaster/VisoMaster app/processors/models_data.py ("hash"), commit 017af1a1'],
  },
  {
    sha256: '4c06341c33c2ca1f86781dab0e829f88ad5b64be9fba56e56bc9ebdefc619e43',
    bytes: 174_383_860,
    fileName: 'w600k_r50.onnx',
    contract: 'embedder/arcface_w600k_r50',
    model: 'ArcFace w600k_r50',
    precision: 'fp32',
    release: "insightface's buffalo_l pack (v0.7)",
    sources: [
      'github.com/visomaster/VisoMaster app/processors/models_data.py ("hash"), commit 017af1a1',
      'github.com/singhgur8/Sieve src-tauri/models/README.md (size and SHA-256 of the buffalo_l member)',
    ],
  },
  {
    sha256: '5838f7fe053675b1c7a08b633df49e7af5495cee0493c7dcf6697200b85b5b91',
    bytes: 16_923_827,
    fileName: 'det_10g.onnx',
    contract: 'detector/scrfd_10g',
    model: 'SCRFD det_10g',
    precision: 'fp32',
    release: "insightface's buffalo_l pack (v0.7)",
    sources: [
      'github.com/visomaster/VisoMaster app/processors/models_data.py ("hash"), commit 017af1a1',
      'github.com/singhgur8/Sieve src-tauri/models/README.md (size and SHA-256), commit 31e3450b',
    ],
  },
  {
    sha256: '6548e54cbcf248af385248f0c1193b359c37a0f98b836282b09cf48af4fd2b73',
    bytes: null,
    fileName: 'GFPGANv1.4.onnx',
    contract: 'enhancer/gfpgan_1.4',
    model: 'GFPGAN 1.4',
    precision: 'fp32',
    release: "VisoMaster's ONNX export",
    sources: ['github.com/visomaster/VisoMaster app/processors/models_data.py ("hash"), commit 017af1a1'],
  },
];

const releaseSchema = z.object({
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  bytes: z.nullable(z.int()),
  fileName: z.string(),
  contract: z.string(),
  model: z.string(),
  precision: z.enum(['fp32', 'fp16']),
  release: z.string(),
  sources: z.array(z.string()),
});

/** Checks a list of releases read from outside the code (a test harness's fixture list). */
export const parseReleases = (value: unknown): KnownRelease[] => {
  const parsed = z.array(releaseSchema).safeParse(value);
  return parsed.success ? parsed.data : [];
};

/** The release whose SHA-256 is `sha256` (hex, any case), or null. */
export function findRelease(
  sha256: string,
  releases: readonly KnownRelease[] = knownReleases,
): KnownRelease | null {
  const wanted = sha256.toLowerCase();
  return releases.find((release) => release.sha256 === wanted) ?? null;
}

/** How a known release is named to the user: "inswapper_128, fp32 (insightface's release)". */
export const releaseName = (release: KnownRelease): string =>
  `${release.model}, ${release.precision} (${release.release})`;
