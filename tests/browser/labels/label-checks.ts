import { CanvasRecorder } from '../../../src/app/live/recorder';
import { labelledPhoto } from '../../../src/shared/ai-label';

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** A second of a moving square on a canvas, recorded as the Live screen records (MediaRecorder, then the label). */
async function recording(): Promise<string> {
  const canvas = document.createElement('canvas');
  canvas.width = 160;
  canvas.height = 120;
  document.body.append(canvas);
  const ctx = canvas.getContext('2d')!;
  const recorder = new CanvasRecorder(canvas);
  for (let frame = 0; frame < 30; frame++) {
    ctx.fillStyle = '#246';
    ctx.fillRect(0, 0, 160, 120);
    ctx.fillStyle = '#fc0';
    ctx.fillRect(frame * 4, 40, 30, 30);
    await new Promise((resolve) => setTimeout(resolve, 33));
  }
  const blob = await recorder.stop();
  canvas.remove();
  return base64(new Uint8Array(await blob.arrayBuffer()));
}

/** A flat grey 400×300 photo downloaded with the visible label: where its pixels changed. */
async function visibleLabel() {
  const width = 400;
  const height = 300;
  const grey = new ImageData(new Uint8ClampedArray(width * height * 4).fill(128), width, height);
  const bitmap = await createImageBitmap(grey);
  const png = await labelledPhoto(bitmap, 'png', 0.92);
  const ctx = new OffscreenCanvas(width, height).getContext('2d')!;
  ctx.drawImage(await createImageBitmap(png), 0, 0);
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const changed = { corner: 0, elsewhere: 0 };
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i] === 128 && rgba[i + 1] === 128 && rgba[i + 2] === 128) continue;
    const x = (i / 4) % width;
    const y = Math.floor(i / 4 / width);
    if (x >= width * 0.7 && y >= height * 0.8) changed.corner++;
    else changed.elsewhere++;
  }
  return { png: base64(new Uint8Array(await png.arrayBuffer())), changed };
}

async function run() {
  return { recording: await recording(), visibleLabel: await visibleLabel() };
}

declare global {
  interface Window {
    runLabelChecks?: () => Promise<Awaited<ReturnType<typeof run>>>;
  }
}

window.runLabelChecks = run;
