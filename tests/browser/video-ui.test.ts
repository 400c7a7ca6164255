import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceInFrame, installVideoFixtures, makeClip, oneFaceClip } from '../fixtures/video';
import { sampleFile } from '../fixtures/samples';
import {
  appPath,
  clickThenAtOnce,
  engineReady,
  offlineReady,
  openAppSession,
  slow,
  startTrial,
  thumbs,
  type AppSession,
} from './ui';

/**
 * The Video screen of the production build driven through its UI (WASM backend, built-in engine):
 * a generated clip with one face is opened, its face chosen and previewed, the whole clip swapped
 * with pause and resume, the output played, saved and discarded; a damaged file and a cancel end
 * with clear messages and no file left behind.
 */

const frames = 15;
const clip = oneFaceClip('mp4', 'avc', frames);

let app: AppSession;
let page: Page;
let clipBytes: Buffer;

beforeAll(async () => {
  app = await openAppSession();
  ({ page } = app);
  // The save dialog, answered with a file in OPFS (a real dialog cannot be driven headless).
  await app.context.addInitScript(() => {
    Object.assign(window, {
      showSaveFilePicker: async ({ suggestedName }: { suggestedName: string }) =>
        (await navigator.storage.getDirectory()).getFileHandle(`saved-${suggestedName}`, { create: true }),
    });
  });
  await page.goto(`${app.baseUrl}${appPath}`);
  await engineReady(page);
  // Video swaps are outside the Free plan.
  await startTrial(page);
  // Everything below runs with the network cut, as the installed app does offline.
  await offlineReady(page);
  await app.context.setOffline(true);
  await page.getByRole('link', { name: 'Swap', exact: true }).click();
  await installVideoFixtures(page);
  clipBytes = await makeClip(page, 'clip', clip.spec);
  await page.getByTestId('source-input').setInputFiles(sampleFile(3));
  await thumbs(page, 'source').first().waitFor(slow);
  await page.getByRole('link', { name: 'Video', exact: true }).click();
});

afterAll(() => app?.close());

/** Names of the files in an OPFS directory ([] when it does not exist). */
function opfsFiles(directory: string | null): Promise<string[]> {
  return page.evaluate(async (directory) => {
    let folder = await navigator.storage.getDirectory();
    if (directory) folder = await folder.getDirectoryHandle(directory, { create: true });
    const names: string[] = [];
    for await (const name of (folder as unknown as { keys(): AsyncIterable<string> }).keys())
      names.push(name);
    return names;
  }, directory);
}

/** Decodes an OPFS file (path parts) and the input clip, frames and audio, with mediabunny in the page. */
function decodeBoth(path: string[]) {
  return page.evaluate(async (path) => {
    let folder = await navigator.storage.getDirectory();
    for (const part of path.slice(0, -1)) folder = await folder.getDirectoryHandle(part);
    const file = await (await folder.getFileHandle(path.at(-1)!)).getFile();
    const { decodeFrames, readAudio } = window.doppelVideoFixtures;
    const [input, output, inputAudio, outputAudio] = await Promise.all([
      decodeFrames(window.doppelClips.clip!),
      decodeFrames(file),
      readAudio(window.doppelClips.clip!),
      readAudio(file),
    ]);
    return { input, output, audio: { input: inputAudio, output: outputAudio }, bytes: file.size };
  }, path);
}

/** Mean absolute RGB difference of two RGBA frames (base64) inside a box. */
function meanDifference(a: string, b: string, width: number, box: [number, number, number, number]): number {
  const x = Buffer.from(a, 'base64');
  const y = Buffer.from(b, 'base64');
  const [x0, y0, w, h] = box.map(Math.round) as [number, number, number, number];
  let sum = 0;
  for (let row = y0; row < y0 + h; row++)
    for (let col = x0; col < x0 + w; col++) {
      const i = (row * width + col) * 4;
      sum +=
        (Math.abs(x[i]! - y[i]!) + Math.abs(x[i + 1]! - y[i + 1]!) + Math.abs(x[i + 2]! - y[i + 2]!)) / 3;
    }
  return sum / (w * h);
}

/** The error codes shown on the Video screen, or in one part of it. */
const codes = (scope = '[data-screen="video"]') =>
  page
    .locator(scope)
    .getByTestId('error')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));

/**
 * Starts a run and presses Pause the moment the button shows (the job is still being set up or at
 * its first frames, however fast it runs), then waits until its frame loop holds at the gate.
 */
async function startPaused(): Promise<void> {
  await clickThenAtOnce(page, 'video-start', 'pause-button');
  await page.locator('[data-testid="video-job"][data-held="true"]').waitFor(slow);
}

/** Starts a run, cancels it while it is held paused, and waits for the CANCELLED message. */
async function startThenCancelHalfway(): Promise<void> {
  await startPaused();
  await page.getByTestId('cancel-button').click();
  await expect.poll(() => codes('.video-run'), slow).toEqual(['CANCELLED']);
}

describe('Video screen (offline after load)', () => {
  it('opens a clip, shows its facts and its face, previews one frame swapped', async () => {
    // Opened from the keyboard: Enter on the drop zone opens the file picker.
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByTestId('video-zone').press('Enter'),
    ]);
    await chooser.setFiles({ name: 'clip.mp4', mimeType: 'video/mp4', buffer: clipBytes });
    const facts = page.getByTestId('video-facts');
    await facts.waitFor(slow);
    // One second of video; the Opus track may end a packet (20 ms) later.
    expect(await facts.locator('[data-fact="duration"]').textContent()).toMatch(/^0:01\.0\d$/);
    expect(await facts.locator('[data-fact="size"]').textContent()).toBe('320×240');
    expect(await facts.locator('[data-fact="frame-rate"]').textContent()).toContain(`${frames} frames`);
    expect(await facts.locator('[data-fact="audio"]').textContent()).toMatch(/^yes/);
    const faces = page.getByTestId('video-faces').getByTestId('face-thumb');
    await expect.poll(() => faces.count(), slow).toBe(1);
    expect(await faces.first().getAttribute('aria-pressed')).toBe('true');

    await page.getByTestId('preview-frame').click();
    await page.getByTestId('video-frame-after').waitFor(slow);
    const box = faceInFrame(clip.sprite, 0, frames);
    const changed = await page.getByTestId('video-frame-preview').evaluate(
      (element, [x, y, w, h]) => {
        const [before, after] = Array.from(
          element.querySelectorAll('canvas'),
          (c) => c.getContext('2d')!.getImageData(x, y, w, h).data,
        );
        let sum = 0;
        for (let i = 0; i < before!.length; i += 4)
          for (let c = 0; c < 3; c++) sum += Math.abs(before![i + c]! - after![i + c]!) / 3;
        return sum / (before!.length / 4);
      },
      box.map(Math.round) as typeof box,
    );
    expect(changed).toBeGreaterThan(5);
    expect(await codes()).toEqual([]);
  });

  it('swaps the clip with progress, pause and resume; plays, saves and discards the output', async () => {
    await startPaused();
    const job = page.getByTestId('video-job');
    expect(await job.getAttribute('data-state')).toBe('paused');
    const framesDone = async () =>
      (await page.getByTestId('frames-done').count())
        ? Number(await page.getByTestId('frames-done').textContent())
        : 0;
    // Held at the gate (the worker says so): from then on no frame moves.
    expect(await job.count()).toBe(1);
    expect(await page.getByTestId('video-output').count()).toBe(0);
    expect(await framesDone()).toBeLessThanOrEqual(2);
    await page.getByTestId('resume-button').click();
    expect(await job.getAttribute('data-state')).toBe('running');
    const live = page.getByTestId('video-live-preview').locator('canvas');
    await live.waitFor(slow);
    expect(await live.evaluate((canvas: HTMLCanvasElement) => [canvas.width, canvas.height])).toEqual([
      320, 240,
    ]);
    await expect.poll(() => page.getByTestId('frames-total').textContent(), slow).toBe(String(frames));

    const player = page.getByTestId('video-output');
    await player.waitFor(slow);
    expect(await codes()).toEqual([]);
    await page.waitForFunction(
      () => document.querySelector<HTMLVideoElement>('[data-testid="video-output"]')!.readyState >= 1,
      undefined,
      slow,
    );
    const playerDuration = await player.evaluate((video: HTMLVideoElement) => video.duration);
    const [outputName] = await opfsFiles('video-output');
    expect(outputName).toMatch(/\.mp4$/);
    const { input, output, audio } = await decodeBoth(['video-output', outputName!]);
    expect(input.frames).toHaveLength(frames);
    // The original sound: the same audio packets, decoding to the same samples.
    expect(audio.input).not.toBeNull();
    expect(audio.output?.packets).toBe(audio.input?.packets);
    expect(audio.output?.pcm).toBe(audio.input?.pcm);
    expect(output.frames).toHaveLength(input.frames.length);
    expect(output.endS).toBeCloseTo(input.endS, 2);
    expect(playerDuration).toBeCloseTo(input.endS, 1);
    const inFace = input.frames.map((frame, i) =>
      meanDifference(frame, output.frames[i]!, input.width, faceInFrame(clip.sprite, i, frames)),
    );
    console.log(
      `Video in the UI: mean |output - input| in the face box per frame: ${JSON.stringify(inFace.map(Math.round))}`,
    );
    expect(inFace.filter((d) => d > 8).length).toBeGreaterThanOrEqual(frames - 1);

    await page.getByTestId('video-save').click();
    // The screen says when the file is written; only then is it complete.
    await page.getByTestId('video-saved').waitFor(slow);
    expect(await opfsFiles(null)).toContain('saved-doppel-clip.mp4');
    const saved = await decodeBoth(['saved-doppel-clip.mp4']);
    expect(saved.output.frames).toHaveLength(frames);

    await page.getByTestId('video-discard').click();
    await expect.poll(() => opfsFiles('video-output')).toEqual([]);
    expect(await player.count()).toBe(0);
    expect(app.problems).toEqual([]);
  });

  it('a damaged file dropped on the zone is refused with a clear message and the open video stays', async () => {
    const drop = await page.evaluateHandle(
      (bytes) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(bytes)], 'cut.mp4', { type: 'video/mp4' }));
        return transfer;
      },
      [...clipBytes.subarray(0, 600)],
    );
    await page.getByTestId('video-zone').dispatchEvent('drop', { dataTransfer: drop });
    // Cut inside the track table (the clip is faststart): known cut short at open.
    await expect.poll(codes, slow).toEqual(['VIDEO_TRUNCATED']);
    expect(await page.getByTestId('video-zone').textContent()).toContain('clip.mp4');
    expect(await page.getByTestId('video-faces').getByTestId('face-thumb').count()).toBe(1);
  });

  it('cancel halfway: CANCELLED, no output offered and no file left; a trimmed WebM run works next and outlives a cancelled one', async () => {
    await startThenCancelHalfway();
    expect(await page.getByTestId('video-job').count()).toBe(0);
    expect(await page.getByTestId('video-output').count()).toBe(0);
    await expect.poll(() => opfsFiles('video-output')).toEqual([]);

    await page.getByTestId('video-container').selectOption('webm');
    // Trim from the keyboard: the end slider to its first step, then six frames on.
    const end = page.getByTestId('trim-end');
    await end.press('Home');
    for (let i = 0; i < 6; i++) await end.press('ArrowRight');
    expect(await page.getByTestId('trim-end-value').textContent()).toBe('0:00.46');
    await page.getByTestId('video-start').click();
    await page.getByTestId('video-output').waitFor(slow);
    expect(await codes('.video-run')).toEqual([]);
    const [name] = await opfsFiles('video-output');
    expect(name).toMatch(/\.webm$/);
    const { output } = await decodeBoth(['video-output', name!]);
    // 7/15 s at 15 fps: seven frames, give or take the one on the boundary.
    expect(Math.abs(output.frames.length - 7)).toBeLessThanOrEqual(1);
    expect(output.endS).toBeLessThanOrEqual(8 / 15 + 0.001);
    expect(output.codec).toBe('vp9');

    // A new run cancelled halfway leaves the finished output shown and on disk.
    await end.press('End');
    await startThenCancelHalfway();
    expect(await page.getByTestId('video-output').count()).toBe(1);
    expect(await opfsFiles('video-output')).toEqual([name]);
    expect(app.problems).toEqual([]);
  });
});
