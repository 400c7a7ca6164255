import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input } from 'mediabunny';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AutomationSession, isAutomationError } from '../../scripts/lib/automation';
import { swapAnimationFile } from '../../scripts/lib/swap-animation';
import { swapVideoFile } from '../../scripts/lib/swap-video';
import { aiEditedSourceType } from '../../src/shared/xmp';
import { launchChromium, openLocalhostPage } from './chromium';
import { pageCheck } from './page-checks';
import { makeMovingGif, movingFace } from '../fixtures/gif';
import { sampleBase64 } from '../fixtures/samples';
import { installVideoFixtures, makeClip, oneFaceClip } from '../fixtures/video';

/**
 * Every kind of output carries the AI-edited mark (IPTC DigitalSourceType
 * compositeWithTrainedAlgorithmicMedia), read back by exiftool, a reader independent of ours:
 * swapped PNG, JPEG, GIF, MP4 and WebM from the automation page (what `npm run swap` drives), a
 * live recording, and a photo with the visible label. exiftool also reads the C2PA manifest's
 * actions from PNG and JPEG (credentials.test.ts checks every output with c2pa-web's own reader).
 */

const dir = mkdtempSync(join(tmpdir(), 'doppel-labels-'));
let session: AutomationSession;
const targets = { gif: join(dir, 'moving.gif'), mov: join(dir, 'clip.mov') };

/** exiftool's reading of a file: every tag, named group:tag (family 1 groups). */
function exiftool(path: string): Record<string, unknown> {
  const run = spawnSync('exiftool', ['-j', '-a', '-G1', path], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const [tags] = JSON.parse(run.stdout) as Record<string, unknown>[];
  return tags!;
}

/** The tags that name the digital source type or the creator tool, as exiftool reads them. */
function marks(path: string): Record<string, unknown> {
  const tags = exiftool(path);
  const found = Object.fromEntries(
    Object.entries(tags).filter(([name]) => /:(DigitalSourceType|CreatorTool)$/.test(name)),
  );
  console.log(`exiftool ${path.split('/').at(-1)}: ${JSON.stringify(found)}`);
  return found;
}

/**
 * The C2PA manifest's actions and claim generator as exiftool reads them from the JUMBF (exiftool
 * 12.57 reads C2PA in PNG and JPEG, not yet in GIF or MP4: c2pa-web's reader checks those).
 */
function c2paMarks(path: string): Record<string, unknown> {
  const tags = exiftool(path);
  const names = [
    'JUMBF:JUMDLabel',
    'CBOR:ActionsAction',
    'CBOR:ActionsDigitalSourceType',
    'CBOR:Claim_Generator_InfoName',
  ];
  return Object.fromEntries(names.map((name) => [name, tags[name]]));
}

const c2paMark = {
  'JUMBF:JUMDLabel': 'c2pa',
  'CBOR:ActionsAction': ['c2pa.created', 'c2pa.edited'],
  'CBOR:ActionsDigitalSourceType': [aiEditedSourceType, aiEditedSourceType],
  'CBOR:Claim_Generator_InfoName': 'Doppel',
};

/** Video packets per track type, demuxed by mediabunny in node: the tagged file still plays. */
async function packets(path: string) {
  const input = new Input({ source: new BufferSource(readFileSync(path)), formats: ALL_FORMATS });
  const video = await input.getPrimaryVideoTrack();
  let count = 0;
  for await (const packet of new EncodedPacketSink(video!).packets()) count += packet.byteLength > 0 ? 1 : 0;
  return { codec: await video!.getCodec(), count, durationS: await input.computeDuration() };
}

beforeAll(async () => {
  const browser = await launchChromium();
  try {
    const page = await openLocalhostPage(browser);
    const gif = await makeMovingGif(page, { ...movingFace, delays: [100, 100], repeat: 0 });
    writeFileSync(targets.gif, gif.bytes);
    await installVideoFixtures(page);
    writeFileSync(targets.mov, await makeClip(page, 'mov', oneFaceClip('mov', 'avc', 4).spec));
  } finally {
    await browser.close();
  }
  session = await AutomationSession.start('wasm');
});

afterAll(async () => {
  await session?.close();
});

const xmpMark = {
  'XMP-iptcExt:DigitalSourceType': aiEditedSourceType,
  'XMP-xmp:CreatorTool': 'Doppel (in-browser face swap)',
};

describe('AI-edited tags on every output, read by exiftool', () => {
  test.each(['png', 'jpeg'] as const)(
    'a swapped %s photo: XMP DigitalSourceType and the C2PA manifest',
    async (format) => {
      const result = await session.swap({
        source: sampleBase64(3),
        target: sampleBase64(2),
        faces: [0],
        format,
      });
      if (isAutomationError(result)) throw new Error(result.error.message);
      const out = join(dir, `swapped.${format}`);
      writeFileSync(out, Buffer.from(result.output, 'base64'));
      expect(marks(out)).toEqual(xmpMark);
      expect(c2paMarks(out)).toEqual(c2paMark);
    },
  );

  test('a swapped GIF: the XMP application extension, every frame kept', async () => {
    const out = join(dir, 'swapped.gif');
    const request = { source: sampleBase64(3), target: readFileSync(targets.gif).toString('base64') };
    expect(await swapAnimationFile(session, { ...request, faces: 'all' }, targets.gif, out)).toBe(0);
    expect(marks(out)).toEqual(xmpMark);
    expect(exiftool(out)['GIF:FrameCount']).toBe(2);
  });

  test('a swapped MP4: the XMP uuid box after the movie; a swapped WebM: the Matroska tag', async () => {
    const request = { source: sampleBase64(3), faces: 'all' as const, quality: 'low' as const };
    const mp4 = join(dir, 'swapped.mp4');
    expect(await swapVideoFile(session, { ...request, container: 'mp4' }, targets.mov, mp4)).toBe(0);
    expect(marks(mp4)).toEqual(xmpMark);
    expect(await packets(mp4)).toMatchObject({ codec: 'avc', count: 4 });

    const webm = join(dir, 'swapped.webm');
    expect(await swapVideoFile(session, { ...request, container: 'webm' }, targets.mov, webm)).toBe(0);
    expect(marks(webm)).toEqual({ 'Matroska:DigitalSourceType': aiEditedSourceType });
    expect(await packets(webm)).toMatchObject({ codec: 'vp9', count: 4 });
  });
});

describe('Live recordings and the visible label (check page on the dev server)', () => {
  const checks = pageCheck('/tests/browser/labels/index.html', 'runLabelChecks');

  test('a live recording: the Matroska tag, its frames copied and its duration known', async () => {
    const path = join(dir, 'live.webm');
    writeFileSync(path, Buffer.from(checks().recording, 'base64'));
    expect(marks(path)).toEqual({ 'Matroska:DigitalSourceType': aiEditedSourceType });
    const demuxed = await packets(path);
    expect(['vp8', 'vp9']).toContain(demuxed.codec);
    expect(demuxed.count).toBeGreaterThan(5);
    expect(demuxed.durationS).toBeGreaterThan(0.5);
  });

  test('a photo with the visible label: text in the bottom-right corner only, the XMP tag and the C2PA manifest', () => {
    const { png, changed } = checks().visibleLabel;
    expect(changed.corner).toBeGreaterThan(200);
    expect(changed.elsewhere).toBe(0);
    const path = join(dir, 'labelled.png');
    writeFileSync(path, Buffer.from(png, 'base64'));
    expect(marks(path)).toEqual(xmpMark);
    expect(c2paMarks(path)).toEqual(c2paMark);
  });
});
