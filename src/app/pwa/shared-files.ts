import { cacheNames, shareTarget } from '../../shared/runtime-files';
import { addTargetWhenConsented } from './intake';

/**
 * Web Share Target: the service worker keeps the shared photos in a cache and opens the app at
 * `/?shared`; the first photo becomes the target. The cache is emptied once read.
 */
export async function pickUpSharedFiles(): Promise<void> {
  const url = new URL(location.href);
  if (!url.searchParams.has(shareTarget.landingParam) || !('caches' in window)) return;
  url.searchParams.delete(shareTarget.landingParam);
  history.replaceState(history.state, '', url);
  const cache = await caches.open(cacheNames.share);
  const requests = await cache.keys();
  const files = await Promise.all(
    requests.map(async (request) => {
      const response = await cache.match(request);
      if (!response) return null;
      const name = decodeURIComponent(response.headers.get(shareTarget.nameHeader) ?? 'shared-photo');
      const blob = await response.blob();
      return new File([blob], name, { type: blob.type });
    }),
  );
  await caches.delete(cacheNames.share);
  const first = files.find((f): f is File => f !== null);
  if (first) addTargetWhenConsented(first);
}
