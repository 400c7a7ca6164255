import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ModelManifest } from '../src/shared/manifest';
import { ortFiles, runtimeFiles, wasmFiles } from '../src/shared/runtime-files.ts';
import { mergeModels, presentOperatorModels, readOperatorModels } from './models/operator.ts';

/** Model files the built-in engine uses, copied from the npm package that ships them. */
export const humanModels = [
  'blazeface.json',
  'blazeface.bin',
  'facemesh.json',
  'facemesh.bin',
  'iris.json',
  'iris.bin',
];
/** The hand detector and its 21-keypoint model: hands in front of a face stay in front of the swap. */
export const handModels = [
  'handtrack.json',
  'handtrack.bin',
  'handlandmark-lite.json',
  'handlandmark-lite.bin',
];
/** The face recogniser that reference mode and face mapping load on first use. */
const recogniserModels = ['faceres.json', 'faceres.bin'];
export const humanDir = 'node_modules/@vladmandic/human/models';
const wasmDir = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
const ortDir = 'node_modules/onnxruntime-web/dist';
const c2paWasm = 'node_modules/@contentauth/c2pa-web/dist/resources/c2pa_bg.wasm';

type ManifestFile = ModelManifest['models'][number]['files'][number];

function describe(file: string, path: string): ManifestFile {
  return {
    path,
    bytes: statSync(file).size,
    sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
  };
}

/**
 * Copies model and wasm files from node_modules into public/ and writes public/models/manifest.json:
 * the built-in models plus the operator's (public/models/operator.json, from `npm run models:add`).
 */
export function copyRuntimeAssets(root: string): void {
  const models = join(root, 'public/models/human');
  const wasm = join(root, 'public/wasm');
  mkdirSync(models, { recursive: true });
  mkdirSync(wasm, { recursive: true });
  const copy = (names: string[]): ManifestFile[] =>
    names.map((name) => {
      const from = join(root, humanDir, name);
      copyFileSync(from, join(models, name));
      return describe(from, `human/${name}`);
    });
  const files = copy(humanModels);
  const handFiles = copy(handModels);
  const recogniserFiles = copy(recogniserModels);
  for (const name of wasmFiles) copyFileSync(join(root, wasmDir, name), join(wasm, basename(name)));
  for (const name of Object.values(ortFiles)) copyFileSync(join(root, ortDir, name), join(wasm, name));
  copyFileSync(join(root, c2paWasm), join(wasm, runtimeFiles.c2pa));
  const operator = presentOperatorModels(
    join(root, 'public/models'),
    readOperatorModels(join(root, 'public/models')),
    (m) => console.warn(m),
  );
  const manifest: ModelManifest = {
    models: mergeModels(
      [
        {
          id: 'human-face',
          role: 'detector',
          name: 'BlazeFace + FaceMesh (468 points) + Iris (eye and lid points)',
          license: 'MIT (@vladmandic/human; models from Google MediaPipe, Apache-2.0)',
          files,
        },
        {
          id: 'human-hand',
          role: 'detector',
          name: 'HandTrack + HandLandmark (21 points)',
          license:
            'MIT (@vladmandic/human; HandTrack by Victor Dibia, MIT; landmarks from Google MediaPipe, Apache-2.0)',
          files: handFiles,
        },
        {
          id: 'human-faceres',
          role: 'recogniser',
          name: 'FaceRes face descriptor (1024 values)',
          license: 'MIT (@vladmandic/human; model from HSE-asavchenko/HSE_FaceRec_tf)',
          files: recogniserFiles,
        },
      ],
      operator,
    ),
  };
  writeFileSync(join(root, 'public/models/manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}
