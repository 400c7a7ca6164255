/** The OPFS directory the engine worker streams finished videos into and the app plays and saves them from. */
export async function videoOutputDirectory(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle('video-output', { create: true });
}
