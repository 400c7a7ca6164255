/** Document Picture-in-Picture (Chromium 116+): not yet in TypeScript's DOM types. */
interface DocumentPictureInPicture {
  requestWindow(options?: { width?: number; height?: number }): Promise<Window>;
}

function documentPip(): DocumentPictureInPicture | undefined {
  return (window as { documentPictureInPicture?: DocumentPictureInPicture }).documentPictureInPicture;
}

/** Whether this browser can pop the live view out into an always-on-top window. */
export function canPopOut(): boolean {
  return documentPip() !== undefined;
}

/**
 * Moves the canvas into a Document Picture-in-Picture window (an always-on-top window that a
 * meeting app's screen-sharing can capture); it goes back into `home` when that window closes.
 * Resolves with a function that closes the window.
 */
export async function popOut(
  canvas: HTMLCanvasElement,
  home: HTMLElement,
  onClosed: () => void,
): Promise<() => void> {
  const pip = documentPip();
  if (!pip) throw new Error('Document Picture-in-Picture is unavailable');
  const width = Math.min(640, canvas.width || 640);
  const height = Math.round((width * (canvas.height || 480)) / (canvas.width || 640));
  const popup = await pip.requestWindow({ width, height });
  popup.document.title = 'Doppel live';
  Object.assign(popup.document.body.style, {
    margin: '0',
    background: '#000',
    display: 'grid',
    height: '100vh',
  });
  const inlineStyle = canvas.getAttribute('style');
  Object.assign(canvas.style, { width: '100%', height: '100%', objectFit: 'contain' });
  popup.document.body.append(canvas);
  popup.addEventListener('pagehide', () => {
    if (inlineStyle === null) canvas.removeAttribute('style');
    else canvas.setAttribute('style', inlineStyle);
    home.append(canvas);
    onClosed();
  });
  return () => popup.close();
}
