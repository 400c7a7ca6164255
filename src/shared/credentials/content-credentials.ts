import type { C2paSdk, Settings, Signer } from '@contentauth/c2pa-web';
import { version } from '../../../package.json';
import { defaultConfig } from '../config';
import { DoppelError } from '../errors';
import { runtimeFiles } from '../runtime-files';
import { coseSign1 } from './cose-sign1';
import { installCredential } from './credential-store';

/** The output kinds that carry Content Credentials (WebM does not: C2PA has no binding for it). */
export type CredentialFormat = 'image/png' | 'image/jpeg' | 'image/gif' | 'video/mp4';

/** What every manifest says: a composite made with a trained model, by Doppel. */
export const credentialFacts = {
  claimGenerator: 'Doppel',
  action: 'c2pa.edited',
  digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia',
  description: 'Faces replaced with AI face swap',
} as const;

/** Bytes reserved for the COSE signature: two P-256 certificates (~0.5 kB each) with room to spare. */
const signatureReserve = 4096;

/**
 * c2pa-web settings: no thumbnail (it would copy the swapped face into the manifest); trust is not
 * checked when signing (the install's certificate is self-issued).
 */
const settings = {
  builder: { thumbnail: { enabled: false } },
  verify: { verifyTrust: false },
} as Settings;

let sdk: Promise<C2paSdk> | undefined;
/** Signings under way, and whether one was large enough to let the wasm go once they are done. */
let signing = 0;
let release = false;
/** Past this size the wasm's memory (which never shrinks) is let go after signing: a video's. */
const releaseAboveBytes = 32 * 1024 * 1024;

/** c2pa-web (MIT) and its wasm from our own origin, loaded on the first output, then kept. */
function c2pa(): Promise<C2paSdk> {
  sdk ??= import('@contentauth/c2pa-web').then(({ createC2pa }) =>
    createC2pa({
      wasmSrc: new URL(runtimeFiles.c2pa, new URL(defaultConfig.wasmBaseUrl, self.location.href)).href,
    }),
  );
  sdk.catch(() => (sdk = undefined));
  return sdk;
}

/** Ends c2pa-web's worker once nothing is being signed, if a large file was. */
function settle(asset: Blob): void {
  signing--;
  release ||= asset.size > releaseAboveBytes;
  if (signing > 0 || !release) return;
  release = false;
  const held = sdk;
  sdk = undefined;
  void held?.then((loaded) => loaded.dispose()).catch(() => undefined);
}

async function installSigner(): Promise<Signer> {
  const credential = await installCredential();
  const chain = credential.chain.map((der) => new Uint8Array(der));
  return {
    alg: 'es256',
    reserveSize: () => Promise.resolve(signatureReserve),
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
  };
}

/**
 * `asset` with a C2PA manifest signed on this device by this install's key: a `c2pa.created` and a
 * `c2pa.edited` action, both with the composite-with-AI digital source type, and the claim
 * generator "Doppel". No title, file name, thumbnail, ingredient or device detail goes in.
 * Credentials the input carried are not copied (outputs are re-encoded). CREDENTIALS_FAILED when
 * signing fails.
 */
export async function withContentCredentials(
  asset: Blob,
  format: CredentialFormat,
): Promise<Uint8Array<ArrayBuffer>> {
  signing++;
  try {
    const [c2paSdk, signer] = await Promise.all([c2pa(), installSigner()]);
    const builder = await c2paSdk.builder.fromDefinition(
      { claim_generator_info: [{ name: credentialFacts.claimGenerator, version }], format },
      settings,
    );
    try {
      await builder.setIntent({ create: credentialFacts.digitalSourceType });
      await builder.addAction({
        action: credentialFacts.action,
        digitalSourceType: credentialFacts.digitalSourceType,
        description: credentialFacts.description,
        softwareAgent: { name: credentialFacts.claimGenerator, version },
      });
      return await builder.sign(signer, format, asset);
    } finally {
      await builder.free();
    }
  } catch (error) {
    throw new DoppelError('CREDENTIALS_FAILED', undefined, {
      cause: error instanceof Error ? error.message : String(error),
    });
  } finally {
    settle(asset);
  }
}
