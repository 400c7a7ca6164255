import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input } from 'mediabunny';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCameraY4m, type CameraFile } from '../fixtures/camera-y4m';
import type { MovingCrop } from '../fixtures/gif';
import { sampleFile } from '../fixtures/samples';
import { fakeCameraArgs, launchChromium } from './chromium';
import { inViewport } from './layout-checks';
import {
  appPath,
  engineReady,
  offlineReady,
  openAppSession,
  slow,
  startTrial,
  thumbs,
  type AppSession,
} from './ui';

/**
 * The Live screen in Chromium with its fake camera playing a Y4M file made from a real photo
 * (sample2's middle face, moving a little each frame), on the WASM backend with the built-in engine.
 */

/** sample2.jpg's middle face (found by the engine), the one face inside the crop. */
const face: [number, number, number, number] = [881, 262, 195, 212];
const frameCount = 6;
const camera: MovingCrop & { fps: number } = {
  sample: 2,
  crop: [578, 68, 800, 600],
  scale: 0.4,
  step: [6, 4],
  frames: frameCount,
  fps: 10,
};

let cameraFile: CameraFile;
let session: AppSession;

/** Records every stream getUserMedia hands out, so the test can see whether its tracks ended. */
function recordStreams(context: BrowserContext): Promise<unknown> {
  return context.addInitScript(() => {
    const streams: MediaStream[] = [];
    (window as unknown as { cameraStreams: MediaStream[] }).cameraStreams = streams;
    const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await open(constraints);
      streams.push(stream);
      return stream;
    };
  });
}

const allTracksEnded = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { cameraStreams: MediaStream[] }).cameraStreams.every((s) =>
      s.getTracks().every((t) => t.readyState === 'ended'),
    ),
  );

beforeAll(async () => {
  const y4m = join(mkdtempSync(join(tmpdir(), 'doppel-live-')), 'camera.y4m');
  const maker = await launchChromium();
  try {
    cameraFile = await writeCameraY4m(await maker.newPage(), y4m, camera);
  } finally {
    await maker.close();
  }
  session = await openAppSession({
    launch: {
      args: fakeCameraArgs(y4m),
    },
    onContext: async (context) => {
      await context.grantPermissions(['camera']);
      await recordStreams(context);
    },
  });
});

afterAll(async () => {
  await session?.close();
});

/** Loads the app, waits for the engine, cuts the network, picks the source photo, opens the Live screen. */
async function openLive(page: Page, context: BrowserContext): Promise<void> {
  await page.goto(`${session.baseUrl}${appPath}`);
  await engineReady(page);
  // The live camera is outside the Free plan; the trial's license file then works offline.
  await startTrial(page);
  await offlineReady(page);
  await context.setOffline(true);
  await page.getByTestId('source-input').setInputFiles(sampleFile(3));
  await expect.poll(() => thumbs(page, 'source').count(), slow).toBeGreaterThanOrEqual(1);
  await page.getByRole('link', { name: 'Live', exact: true }).click();
  await live(page).getByTestId('source-face').locator('canvas').waitFor();
}

/** The Live screen (every screen stays in the page; the others are hidden). */
const live = (page: Page) => page.locator('[data-screen="live"]');

const shownFrames = async (page: Page) =>
  Number((await live(page).getByTestId('live-frames').textContent()) ?? 0);

/** Waits until `more` further swapped frames have been drawn. */
async function waitForFrames(page: Page, more: number): Promise<void> {
  await live(page).getByTestId('live-frames').waitFor(slow);
  const from = await shownFrames(page);
  await expect.poll(() => shownFrames(page), slow).toBeGreaterThanOrEqual(from + more);
}

interface Rgba {
  width: number;
  height: number;
  data: Buffer;
}

function toRgba(frame: { width: number; height: number; b64: string }): Rgba {
  return { width: frame.width, height: frame.height, data: Buffer.from(frame.b64, 'base64') };
}

/** What the Live canvas shows now. */
async function canvasPixels(page: Page): Promise<Rgba> {
  return toRgba(
    await page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="live-canvas"]')!;
      const ctx = new OffscreenCanvas(canvas.width, canvas.height).getContext('2d')!;
      ctx.drawImage(canvas, 0, 0);
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let s = '';
      for (let j = 0; j < data.length; j += 0x8000) s += String.fromCharCode(...data.subarray(j, j + 0x8000));
      return { width: canvas.width, height: canvas.height, b64: btoa(s) };
    }),
  );
}

/** The camera's own frames, as the browser decodes them: two loops of the fake camera's file. */
async function rawCameraFrames(page: Page): Promise<Rgba[]> {
  const frames = await page.evaluate(
    async (count) => {
      const stream = await navigator.mediaDevices.getUserMedia({ video: true });
      const track = stream.getVideoTracks()[0]!;
      const Processor = (
        window as unknown as {
          MediaStreamTrackProcessor: new (init: { track: MediaStreamTrack }) => {
            readable: ReadableStream<VideoFrame>;
          };
        }
      ).MediaStreamTrackProcessor;
      const reader = new Processor({ track }).readable.getReader();
      const out: { width: number; height: number; b64: string }[] = [];
      while (out.length < count) {
        const { value } = await reader.read();
        if (!value) break;
        const ctx = new OffscreenCanvas(value.displayWidth, value.displayHeight).getContext('2d')!;
        ctx.drawImage(value, 0, 0);
        value.close();
        const data = ctx.getImageData(0, 0, ctx.canvas.width, ctx.canvas.height).data;
        let s = '';
        for (let j = 0; j < data.length; j += 0x8000)
          s += String.fromCharCode(...data.subarray(j, j + 0x8000));
        out.push({ width: ctx.canvas.width, height: ctx.canvas.height, b64: btoa(s) });
      }
      await reader.cancel();
      track.stop();
      return out;
    },
    frameCount * 2 + 2,
  );
  return frames.map(toRgba);
}

function flipped(image: Rgba): Rgba {
  const data = Buffer.alloc(image.data.length);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      image.data.copy(
        data,
        (y * image.width + image.width - 1 - x) * 4,
        (y * image.width + x) * 4,
        (y * image.width + x + 1) * 4,
      );
    }
  }
  return { ...image, data };
}

/** Where the face is in every frame (the boxes' intersection) and where it may be (their union). */
function faceRegions(): Record<'always' | 'somewhere', [number, number, number, number]> {
  const boxes = Array.from({ length: frameCount }, (_, i) => cameraFile.boxInFrame(face, i));
  const left = boxes.map((b) => b[0]);
  const top = boxes.map((b) => b[1]);
  const right = boxes.map((b) => b[0] + b[2]);
  const bottom = boxes.map((b) => b[1] + b[3]);
  return {
    always: [Math.max(...left), Math.max(...top), Math.min(...right), Math.min(...bottom)],
    somewhere: [Math.min(...left), Math.min(...top), Math.max(...right), Math.max(...bottom)],
  };
}

/** Mean absolute RGB difference where the face always is, and far from where it may be (beyond half its size). */
function difference(a: Rgba, b: Rgba) {
  const { always, somewhere } = faceRegions();
  const [x0, y0, x1, y1] = somewhere;
  const [w, h] = [x1 - x0, y1 - y0];
  let inside = 0;
  let insideCount = 0;
  let outside = 0;
  let outsideCount = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    const px = (i / 4) % a.width;
    const py = Math.floor(i / 4 / a.width);
    const d = [0, 1, 2].reduce((sum, c) => sum + Math.abs(a.data[i + c]! - b.data[i + c]!), 0) / 3;
    if (px >= always[0] && px < always[2] && py >= always[1] && py < always[3]) {
      inside += d;
      insideCount++;
    } else if (px < x0 - w / 2 || px >= x1 + w / 2 || py < y0 - h / 2 || py >= y1 + h / 2) {
      outside += d;
      outsideCount++;
    }
  }
  return { inside: inside / insideCount, outside: outside / outsideCount, outsideCount };
}

/**
 * The shown frame against the camera frame it was made from (the one whose background matches
 * best): the face region changed, the background did not.
 */
async function expectSwappedFrame(page: Page, mirrored: boolean): Promise<void> {
  const shown = await canvasPixels(page);
  const unmirrored = mirrored ? flipped(shown) : shown;
  const raw = await rawCameraFrames(page);
  expect(raw.length).toBeGreaterThan(frameCount);
  expect([shown.width, shown.height]).toEqual([cameraFile.width, cameraFile.height]);
  const best = raw
    .map((frame) => difference(unmirrored, frame))
    .reduce((a, b) => (b.outside < a.outside ? b : a));
  console.log(`live frame against the camera frame (mirrored: ${mirrored}): ${JSON.stringify(best)}`);
  expect(best.outsideCount).toBeGreaterThan(shown.width * shown.height * 0.3);
  expect(best.outside).toBeLessThan(3);
  expect(best.inside).toBeGreaterThan(10);
}

/** The video packets of a WebM file and the decoder configuration (mediabunny's demuxer, in node). */
async function demuxWebm(bytes: Buffer) {
  const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
  const track = await input.getPrimaryVideoTrack();
  if (!track) throw new Error('no video track');
  const config = await track.getDecoderConfig();
  if (!config) throw new Error(`cannot decode ${track.codec}`);
  const packets: { type: 'key' | 'delta'; timestamp: number; b64: string }[] = [];
  for await (const packet of new EncodedPacketSink(track).packets()) {
    packets.push({
      type: packet.type,
      timestamp: Math.round(packet.timestamp * 1e6),
      b64: Buffer.from(packet.data).toString('base64'),
    });
  }
  return { codec: track.codec, config: { codec: config.codec }, packets };
}

/**
 * Seeks to the middle of a WebM file with mediabunny: the packet shown at half its duration and the
 * packets from the key frame before it up to it (what a player decodes after a seek).
 */
async function seekToMiddle(bytes: Buffer) {
  const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
  const track = (await input.getPrimaryVideoTrack())!;
  const config = (await track.getDecoderConfig())!;
  const sink = new EncodedPacketSink(track);
  const at = (await track.computeDuration()) / 2;
  const target = await sink.getPacket(at);
  const key = await sink.getKeyPacket(at);
  if (!target || !key) throw new Error(`no packet at ${at} s`);
  const packets: { type: 'key' | 'delta'; timestamp: number; b64: string }[] = [];
  for await (const packet of sink.packets(key)) {
    if (packet.timestamp > target.timestamp) break;
    packets.push({
      type: packet.type,
      timestamp: Math.round(packet.timestamp * 1e6),
      b64: Buffer.from(packet.data).toString('base64'),
    });
  }
  return { at: target.timestamp, codec: track.codec, config: { codec: config.codec }, packets };
}

/** Decodes the packets with the page's WebCodecs VideoDecoder: frames out and their size. */
function decodeInPage(page: Page, demuxed: Awaited<ReturnType<typeof demuxWebm>>) {
  return page.evaluate(async ({ config, packets }) => {
    let frames = 0;
    let size: number[] = [];
    const decoder = new VideoDecoder({
      output: (frame) => {
        frames++;
        size = [frame.displayWidth, frame.displayHeight];
        frame.close();
      },
      error: (error) => console.error(error),
    });
    decoder.configure(config);
    for (const { type, timestamp, b64 } of packets) {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      decoder.decode(new EncodedVideoChunk({ type, timestamp, data }));
    }
    await decoder.flush();
    decoder.close();
    return { frames, size };
  }, demuxed);
}

describe('Live camera (fake camera device, WASM, built-in engine, offline after load)', () => {
  it('swaps the face in each camera frame, shows fps and latency, mirrors, records a WebM, pops out, and releases the camera on stop', async () => {
    const { page, context } = session;
    await openLive(page, context);
    await live(page).getByTestId('mirror').uncheck();
    await live(page).getByTestId('live-start').click();
    await waitForFrames(page, 2);
    expect(await live(page).getByTestId('live-reader').textContent()).toBe('MediaStreamTrackProcessor');
    const cameraChoice = live(page).getByTestId('camera-select');
    expect(await cameraChoice.inputValue()).not.toBe('');
    expect(await cameraChoice.locator('option').count()).toBeGreaterThanOrEqual(1);
    expect(await live(page).getByTestId('live-fps').textContent()).toMatch(/^\d+$/);
    expect(await live(page).getByTestId('live-latency').textContent()).toMatch(/^\d+ ms$/);
    expect(await live(page).getByTestId('live-dropped').textContent()).toMatch(/^\d+$/);
    expect(Number(await live(page).getByTestId('live-faces').textContent())).toBe(1);
    // At 1366x768 the picture, Stop and the figures are all in view while the camera runs.
    for (const id of ['live-canvas', 'live-stop', 'live-fps', 'live-dropped'])
      expect(await inViewport(live(page).getByTestId(id)), id).toBe(true);
    await expectSwappedFrame(page, false);

    await live(page).getByTestId('mirror').check();
    await waitForFrames(page, 3);
    await expectSwappedFrame(page, true);

    await live(page).getByTestId('live-record').click();
    // "● REC 0:00" beside the controls, in view; its time moves on (polled, no fixed wait).
    const indicator = live(page).getByTestId('recording-indicator');
    await indicator.waitFor();
    expect(await inViewport(indicator)).toBe(true);
    const first = await indicator.textContent();
    expect(first).toMatch(/^● REC 0:0\d$/);
    await expect.poll(() => indicator.textContent(), slow).not.toBe(first);
    expect(await indicator.textContent()).toMatch(/^● REC \d+:\d\d$/);
    expect(await live(page).getByTestId('recording-announcement').textContent()).toBe('Recording started.');
    await waitForFrames(page, 4);
    const download = page.waitForEvent('download', slow);
    await live(page).getByRole('button', { name: 'Stop recording' }).click();
    const file = await download;
    expect(await indicator.count()).toBe(0);
    expect(await live(page).getByTestId('recording-announcement').textContent()).toBe('Recording stopped.');
    expect(await live(page).getByTestId('live-recording').getByRole('link').getAttribute('download')).toBe(
      file.suggestedFilename(),
    );
    expect(file.suggestedFilename()).toMatch(/^doppel-live-.*\.webm$/);
    const bytes = readFileSync((await file.path())!);
    const demuxed = await demuxWebm(bytes);
    expect(['vp8', 'vp9']).toContain(demuxed.codec);
    expect(demuxed.packets.length).toBeGreaterThan(0);
    const decoded = await decodeInPage(page, demuxed);
    expect(decoded.frames).toBeGreaterThan(0);
    expect(decoded.size).toEqual([cameraFile.width, cameraFile.height]);
    // Seekable: the file has a Cues element (the index players seek with), and seeking to the middle
    // finds the packet there, decodable from its key frame.
    expect(bytes.includes(Buffer.from([0x1c, 0x53, 0xbb, 0x6b]))).toBe(true);
    const middle = await seekToMiddle(bytes);
    expect(middle.at).toBeGreaterThan(0);
    const seeked = await decodeInPage(page, middle);
    expect(seeked.frames).toBe(middle.packets.length);
    expect(seeked.size).toEqual([cameraFile.width, cameraFile.height]);

    const popup = context.waitForEvent('page');
    await live(page).getByTestId('live-pop-out').click();
    const pip = await popup;
    await pip.locator('canvas').waitFor();
    expect(await live(page).getByTestId('live-canvas').count()).toBe(0);
    await waitForFrames(page, 2);
    await live(page).getByRole('button', { name: 'Bring back' }).click();
    await live(page).getByTestId('live-canvas').waitFor();

    await live(page).getByTestId('live-stop').click();
    await live(page).getByTestId('live-start').waitFor();
    expect(await allTracksEnded(page)).toBe(true);
    expect(session.problems).toEqual([]);
  });

  it('without MediaStreamTrackProcessor (requestVideoFrameCallback), after a denied permission; hiding the page or leaving the screen releases the camera', async () => {
    const context = await session.browser.newContext({ viewport: { width: 1366, height: 768 } });
    try {
      await context.grantPermissions(['camera']);
      await context.addInitScript(() => {
        localStorage.setItem('doppel.consent', 'yes');
        delete (window as { MediaStreamTrackProcessor?: unknown }).MediaStreamTrackProcessor;
      });
      await recordStreams(context);
      await context.addInitScript(() => {
        const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
        let denied = false;
        navigator.mediaDevices.getUserMedia = (constraints) => {
          if (denied) return open(constraints);
          denied = true;
          return Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
        };
      });
      const page = await context.newPage();
      await openLive(page, context);
      await live(page).getByTestId('mirror').uncheck();
      await live(page).getByTestId('live-start').click();
      await expect
        .poll(() => live(page).getByTestId('error').getAttribute('data-code'))
        .toBe('CAMERA_DENIED');
      await live(page).getByTestId('live-start').click();
      await waitForFrames(page, 2);
      expect(await live(page).getByTestId('error').count()).toBe(0);
      expect(await live(page).getByTestId('live-reader').textContent()).toBe('requestVideoFrameCallback');
      const shown = await canvasPixels(page);
      expect([shown.width, shown.height]).toEqual([cameraFile.width, cameraFile.height]);
      expect(Number(await live(page).getByTestId('live-faces').textContent())).toBe(1);

      await page.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await live(page).getByTestId('live-start').waitFor();
      expect(await allTracksEnded(page)).toBe(true);
      await page.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
      });

      await live(page).getByTestId('live-start').click();
      await waitForFrames(page, 1);
      await page.getByRole('link', { name: 'Swap', exact: true }).click();
      await expect.poll(() => allTracksEnded(page)).toBe(true);
      expect(await live(page).getByTestId('live-start').isVisible()).toBe(false);
    } finally {
      await context.close();
    }
  });
});
