/// <reference types="vite/client" />
import { createC2pa, type ManifestStore } from '@contentauth/c2pa-web';
import wasmSrc from '@contentauth/c2pa-web/resources/c2pa.wasm?url';
import { coseSign1 } from '../../../src/shared/credentials/cose-sign1';
import { makeInstallCredential } from '../../../src/shared/credentials/install-certificate';

/**
 * c2pa-web's own Reader, loaded straight from the package (not through Doppel's code), reads the
 * outputs; and a "camera" manifest signed with the same library marks the targets that must lose it.
 */

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const sdk = createC2pa({ wasmSrc });
/** Made on load, so no module is fetched later (the dev server may re-optimise its dependencies meanwhile). */
const cameraCredential = makeInstallCredential();

export interface CredentialReading {
  /** null when the file carries no manifest. */
  store: ManifestStore | null;
}

/** The whole manifest store of a file, as c2pa-web's Reader reports it (default settings: trust checked). */
async function readCredentials(base64: string, format: string): Promise<CredentialReading> {
  const reader = await (await sdk).reader.fromBlob(format, new Blob([fromBase64(base64)], { type: format }));
  if (!reader) return { store: null };
  try {
    return { store: await reader.manifestStore() };
  } finally {
    await reader.free();
  }
}

/** `base64` with a manifest from "Test Camera" (a c2pa.created capture), signed by a fresh self-issued key. */
async function addCameraManifest(base64: string, format: string): Promise<string> {
  const credential = await cameraCredential;
  const chain = credential.chain.map((der) => new Uint8Array(der));
  const builder = await (
    await sdk
  ).builder.fromDefinition({ claim_generator_info: [{ name: 'Test Camera', version: '1.0' }], format }, {
    builder: { thumbnail: { enabled: false } },
  } as never);
  await builder.setIntent({ create: 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture' });
  const signed = await builder.sign(
    {
      alg: 'es256',
      reserveSize: () => Promise.resolve(4096),
      sign: (claim, size) =>
        coseSign1(
          claim,
          chain,
          size,
          async (data) =>
            new Uint8Array(
              await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, credential.privateKey, data),
            ),
        ),
    },
    format,
    new Blob([fromBase64(base64)], { type: format }),
  );
  await builder.free();
  return toBase64(signed);
}

declare global {
  interface Window {
    readCredentials?: typeof readCredentials;
    addCameraManifest?: typeof addCameraManifest;
  }
}

await Promise.all([sdk, cameraCredential]);
window.readCredentials = readCredentials;
window.addCameraManifest = addCameraManifest;
