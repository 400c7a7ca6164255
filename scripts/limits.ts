import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { LimitId, LimitsData } from '../src/app/limits/limits-data';
import { sampleBase64 } from '../tests/fixtures/samples';
import { AutomationSession } from './lib/automation';
import { limitsFingerprint } from './lib/limits-fingerprint';
import { demoFaces, probe } from './lib/limits-probe';
import { longestVideo } from './lib/limits-video';
import { withReadmeLimits } from './lib/readme-limits';
import {
  largestImage,
  largestRoll,
  largestYaw,
  mostFaces,
  occlusion,
  smallestFace,
  type SweepResult,
} from './lib/limits-sweeps';

/**
 * `npm run limits [-- --out DIR]`: measures the built-in engine's limits by sweeps over the demo
 * photos in headless Chromium on the WASM backend (the built app's automation page), and writes
 * DIR/limits.json (the figures, the date, the backend, the sources' fingerprint) and
 * DIR/pictures/<limit>.jpg, one small picture per limit. DIR defaults to src/app/limits, which the
 * #/limits page renders. Also writes the system check's probe photo (src/app/check/probe-photo.jpg:
 * a 640×480 crop of a demo photo) and README's list of limits. Prints the figures as JSON, then one line.
 */
const { values } = parseArgs({ options: { out: { type: 'string', default: 'src/app/limits' } } });
const out = values.out!;
const probePhotoFile = 'src/app/check/probe-photo.jpg';

/** Each sweep with its demo photo(s) and the source photo it swaps in. */
const sweeps: Record<LimitId, (session: AutomationSession) => Promise<SweepResult>> = {
  'smallest-face': (s) => smallestFace(s, 2),
  'largest-roll': (s) => largestRoll(s, 2, 3),
  'largest-yaw': (s) => largestYaw(s, [1, 2, 3, 4, 5, 6], 3),
  occlusion: (s) => occlusion(s, 2),
  'most-faces': (s) => mostFaces(s, 2, 3),
  'largest-image': (s) => largestImage(s, 2, 3),
  'longest-video': (s) => longestVideo(s, 3),
};

const started = performance.now();
const session = await AutomationSession.start('wasm');
const results: SweepResult[] = [];
let probePhoto = '';
try {
  // The check's probe photo: demo photo 2's most frontal face, 160 px wide, centred in 640×480.
  const faces = await demoFaces(session, 2);
  const turn = (f: (typeof faces.faces)[number]) => Math.abs(f.rollDeg) + Math.abs(f.yawDeg ?? 0);
  const frontal = [...faces.faces].sort((a, b) => turn(a) - turn(b))[0];
  if (!frontal) throw new Error('demo photo 2 shows no face');
  const change = {
    kind: 'scale' as const,
    box: frontal.box,
    faceWidth: 160,
    frame: [640, 480] as [number, number],
  };
  probePhoto = (await probe(session, { photo: sampleBase64(2), change, swap: false, pictureSide: 640 }))
    .picture!;
  for (const [id, sweep] of Object.entries(sweeps)) {
    const began = performance.now();
    const result = await sweep(session);
    results.push(result);
    const seconds = ((performance.now() - began) / 1000).toFixed(0);
    console.error(
      `${id}: ${result.limit.value} ${result.limit.unit} (${result.probes} engine runs, ${seconds} s)`,
    );
  }
} finally {
  await session.close();
}

const data: LimitsData = {
  measured: new Date().toISOString(),
  backend: session.info.backend,
  fingerprint: limitsFingerprint(),
  seconds: Math.round((performance.now() - started) / 1000),
  limits: results.map((r) => r.limit),
};
rmSync(join(out, 'pictures'), { recursive: true, force: true });
mkdirSync(join(out, 'pictures'), { recursive: true });
for (const { limit, picture } of results)
  writeFileSync(join(out, 'pictures', limit.picture), Buffer.from(picture, 'base64'));
writeFileSync(join(out, 'limits.json'), `${JSON.stringify(data, null, 2)}\n`);
if (out === 'src/app/limits') {
  writeFileSync(probePhotoFile, Buffer.from(probePhoto, 'base64'));
  writeFileSync('README.md', withReadmeLimits(readFileSync('README.md', 'utf8'), data));
}
console.log(JSON.stringify(data, null, 2));
console.log(
  `limits (${data.backend}, ${data.seconds} s): ${data.limits.map((l) => `${l.id} ${l.value} ${l.unit}`).join('; ')} -> ${out}/limits.json`,
);
