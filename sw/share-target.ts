import { cacheNames, shareTarget } from '../src/shared/runtime-files';

/**
 * Keeps the image files of a share in the share cache, replacing any earlier share that the app
 * has not picked up. The app reads them and deletes the cache on its next start.
 */
export async function storeSharedFiles(form: FormData): Promise<number> {
  await caches.delete(cacheNames.share);
  const cache = await caches.open(cacheNames.share);
  const files = form
    .getAll(shareTarget.field)
    .filter((entry): entry is File => typeof entry !== 'string' && entry.type.startsWith('image/'));
  await Promise.all(
    files.map((file, i) =>
      cache.put(
        new URL(`/shared/${i}`, self.location.href).href,
        new Response(file, {
          headers: { 'content-type': file.type, [shareTarget.nameHeader]: encodeURIComponent(file.name) },
        }),
      ),
    ),
  );
  return files.length;
}
