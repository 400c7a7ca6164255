import { watchPeakMemory } from '../../bench/video/peak-memory';
import type { MeasuredLimit } from '../../src/app/limits/limits-data';
import { sampleBase64 } from '../../tests/fixtures/samples';
import { faceSprite, installVideoFixtures, makeClip } from '../../tests/fixtures/video';
import { isAutomationError, type AutomationSession } from './automation';
import { pictureSide, type SweepResult } from './limits-sweeps';

/**
 * Longest video within memory: the video pipeline streams frames from the file and its output into
 * OPFS, so memory should not grow with the video's length. This swaps generated clips of growing
 * length and samples the resident memory of the whole browser (its processes, from `ps`: the
 * video benchmark's bench/video/peak-memory.ts) while each runs. A bounded measurement: it says
 * how long the clips were.
 */

const mib = 2 ** 20;

/** Swaps clip `name` into OPFS while sampling memory; the peak above the memory before it, in bytes. */
async function swapPeak(session: AutomationSession, name: string, source: string): Promise<number> {
  const memory = watchPeakMemory(200);
  let added = 0;
  try {
    const result = await session.page.evaluate(
      ({ name, source }) =>
        window.doppel.swapVideo({
          source,
          video: window.doppelClips[name]!,
          faces: 'all',
          container: 'webm',
          outputName: `${name}.webm`,
        }),
      { name, source },
    );
    if (isAutomationError(result)) throw new Error(`${result.error.code}: ${result.error.message}`);
  } finally {
    const { beforeMiB, peakMiB } = memory();
    added = (peakMiB - beforeMiB) * mib;
  }
  return added;
}

/** A frame of the swapped output `name` (OPFS), as a JPEG `pictureSide` px wide, base64; then removes it. */
async function outputPicture(session: AutomationSession, name: string, timeS: number): Promise<string> {
  return session.page.evaluate(
    async ({ name, timeS, side }) => {
      const { data } = await window.doppel.readVideoOutput(`${name}.webm`);
      await window.doppel.removeVideoOutput(`${name}.webm`);
      const video = new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))]);
      const frame = await window.doppel.videoFrame(video, timeS);
      if ('error' in frame) throw new Error(frame.error.message);
      const rgba = new Uint8ClampedArray(Uint8Array.from(atob(frame.rgba), (c) => c.charCodeAt(0)));
      const bitmap = await createImageBitmap(new ImageData(rgba, frame.width, frame.height));
      const k = side / Math.max(frame.width, frame.height);
      const canvas = new OffscreenCanvas(Math.round(frame.width * k), Math.round(frame.height * k));
      canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    },
    { name, timeS, side: pictureSide },
  );
}

/** Least-squares slope of y over x. */
function slope(x: number[], y: number[]): number {
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const [mx, my] = [mean(x), mean(y)];
  const sxy = x.reduce((sum, xi, i) => sum + (xi - mx) * (y[i]! - my), 0);
  const sxx = x.reduce((sum, xi) => sum + (xi - mx) ** 2, 0);
  return sxy / sxx;
}

/**
 * Swaps generated 720p clips of growing length (one face moving across) and compares the memory
 * each took: the figure is the longest clip measured (a bounded measurement), with the growth per
 * second of video and what it would mean for a memory `budget` (MiB) if it went on.
 */
export async function longestVideo(
  session: AutomationSession,
  source: number,
  { seconds = [2, 8, 16], fps = 10, size = [1280, 720] as [number, number], budget = 1024 } = {},
): Promise<SweepResult> {
  await installVideoFixtures(session.page);
  const sprite = faceSprite(2, 280, [80, 120], [size[0] - 400, 220]);
  const peaks: number[] = [];
  for (const length of seconds) {
    const name = `limits-${length}s`;
    await makeClip(session.page, name, {
      width: size[0],
      height: size[1],
      fps,
      frames: length * fps,
      container: 'webm',
      videoCodec: 'vp9',
      sprites: [sprite],
    });
    peaks.push(await swapPeak(session, name, sampleBase64(source)));
    await session.page.evaluate((n) => delete window.doppelClips[n], name);
  }
  const longest = seconds[seconds.length - 1]!;
  const picture = await outputPicture(session, `limits-${longest}s`, longest / 2);
  for (const length of seconds.slice(0, -1))
    await session.page.evaluate((file) => window.doppel.removeVideoOutput(file), `limits-${length}s.webm`);
  const growth = slope(seconds, peaks);
  // Growth under 2 MiB a second is within what the sampling can tell apart.
  const grows = growth > 2 * mib;
  const measured = seconds
    .map((length, i) => `${Math.round(peaks[i]! / mib)} MiB for ${length} s`)
    .join(', ');
  const minutes = Math.floor((budget * mib - Math.max(...peaks)) / growth / 60);
  const label = `${size[1]}p`;
  const limit: MeasuredLimit = {
    id: 'longest-video',
    title: `Longest ${label} video measured`,
    value: longest,
    unit: 's',
    summary: grows
      ? `Swapped within memory up to the longest clip measured, ${longest} s (${measured} above the memory before). Memory grew by about ${(growth / mib).toFixed(1)} MiB per second of video: if it went on so, about ${minutes} minutes would fit in ${budget} MiB (an estimate, not measured).`
      : `No limit found up to ${longest} s: ${measured} above the memory before; memory did not grow with the video's length (frames and the output stream through the browser's storage).`,
    how: `Generated ${size.join('×')} VP9 clips of ${seconds.join(', ')} s at ${fps} fps (one face moving across), each swapped into the browser's storage while the resident memory of the whole browser was sampled every 200 ms; the growth is the least-squares slope over the clips. Source: demo photo ${source}.`,
    picture: 'longest-video.jpg',
    caption: `A frame of the ${longest}-s ${label} clip, swapped.`,
  };
  return { limit, picture, probes: seconds.length };
}
