import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AutomationSession, isAutomationError } from '../../scripts/lib/automation';
import { swapAnimationFile } from '../../scripts/lib/swap-animation';
import { swapVideoFile } from '../../scripts/lib/swap-video';
import { credentialFacts } from '../../src/shared/credentials/content-credentials';
import { launchChromium } from './chromium';
import type { CredentialReading } from './credentials/credential-checks';
import { startDevServer } from './dev-server';
import { makeMovingGif, movingFace } from '../fixtures/gif';
import { sampleBase64 } from '../fixtures/samples';
import { installVideoFixtures, makeClip, oneFaceClip } from '../fixtures/video';

/**
 * Every photo, GIF and MP4 output of the automation page (what `npm run swap` drives) carries one
 * C2PA manifest signed on the device, read back by c2pa-web's own Reader in a page of its own:
 * the edit action with the AI digital source type, the claim generator, a valid signature and hash
 * from a self-issued (so untrusted) signer, and nothing naming a file, a face or the device. A
 * target that carries a manifest, or a broken one, swaps and its manifest is not carried over.
 */

const dir = mkdtempSync(join(tmpdir(), 'doppel-credentials-'));
let session: AutomationSession;
let dev: { server: ViteDevServer; url: string };
let browser: Browser;
let readerPage: Page;
const targets = { gif: join(dir, 'moving.gif'), mov: join(dir, 'clip.mov') };

async function read(bytes: Buffer, format: string): Promise<CredentialReading> {
  const b64 = bytes.toString('base64');
  return readerPage.evaluate(([data, type]) => window.readCredentials!(data!, type!), [b64, format]);
}

type Store = NonNullable<CredentialReading['store']>;

/** Validation status codes of the active manifest, success and failure apart. */
function statusCodes(store: Store) {
  const active = store.validation_results?.activeManifest;
  return {
    success: (active?.success ?? []).map((s) => s.code).sort(),
    failure: (active?.failure ?? []).map((s) => s.code).sort(),
    state: store.validation_state,
  };
}

/** What every output's credentials must say, read from the store c2pa-web's Reader returned. */
function expectOurManifest(
  store: Store | null,
  hash: 'assertion.dataHash.match' | 'assertion.bmffHash.match',
) {
  expect(store).not.toBeNull();
  const manifests = Object.values(store!.manifests ?? {});
  expect(manifests).toHaveLength(1);
  const active = store!.manifests![store!.active_manifest!]!;
  expect(active.claim_generator_info?.[0]).toMatchObject({ name: credentialFacts.claimGenerator });
  const actions = (active.assertions ?? [])
    .filter((a) => a.label.startsWith('c2pa.actions'))
    .flatMap((a) => (a.data as { actions: { action: string; digitalSourceType?: string }[] }).actions);
  expect(actions).toContainEqual(
    expect.objectContaining({
      action: credentialFacts.action,
      digitalSourceType: credentialFacts.digitalSourceType,
    }),
  );
  expect(active.signature_info).toMatchObject({
    alg: 'Es256',
    issuer: 'Doppel',
    common_name: 'Doppel Content Credentials (self-issued)',
  });
  expect(active.thumbnail ?? null).toBeNull();
  expect(active.ingredients ?? []).toEqual([]);
  const codes = statusCodes(store!);
  console.log(`C2PA validation: ${JSON.stringify(codes)}`);
  // Self-issued: the signer is untrusted, but the signature, the claim and the hash of the file check out.
  expect(codes.failure).toEqual(['signingCredential.untrusted']);
  expect(codes.success).toEqual(
    expect.arrayContaining(['claimSignature.validated', 'claimSignature.insideValidity', hash]),
  );
  const json = JSON.stringify(store);
  for (const banned of [
    'sample',
    '.jpg',
    'moving',
    'clip',
    '.mov',
    'cli-',
    'Chrome',
    'Linux',
    'x86',
    navigatorAgent,
  ])
    expect(json).not.toContain(banned);
  serials.push(String(active.signature_info?.cert_serial_number));
  return active;
}

/** The signing certificate's serial number of every output read so far. */
const serials: string[] = [];

let navigatorAgent = '';

beforeAll(async () => {
  dev = await startDevServer();
  browser = await launchChromium();
  readerPage = await browser.newPage();
  await readerPage.goto(`${dev.url}/tests/browser/credentials/index.html`);
  await readerPage.waitForFunction(() => typeof window.readCredentials === 'function');
  navigatorAgent = await readerPage.evaluate(() => navigator.userAgent);
  const gif = await makeMovingGif(readerPage, { ...movingFace, delays: [100, 100], repeat: 0 });
  writeFileSync(targets.gif, gif.bytes);
  await installVideoFixtures(readerPage);
  writeFileSync(targets.mov, await makeClip(readerPage, 'mov', oneFaceClip('mov', 'avc', 4).spec));
  session = await AutomationSession.start('wasm');
});

afterAll(async () => {
  await session?.close();
  await browser?.close();
  await dev?.server.close();
});

async function swapPhoto(target: string, format: 'png' | 'jpeg'): Promise<Buffer> {
  const result = await session.swap({ source: sampleBase64(3), target, faces: [0], format });
  if (isAutomationError(result)) throw new Error(result.error.message);
  return Buffer.from(result.output, 'base64');
}

describe('Content Credentials on every output, read by c2pa-web', () => {
  test.each([
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
  ] as const)('a swapped %s photo', async (format, type) => {
    const out = await swapPhoto(sampleBase64(2), format);
    expectOurManifest((await read(out, type)).store, 'assertion.dataHash.match');
  });

  test('a swapped GIF', async () => {
    const out = join(dir, 'swapped.gif');
    const request = { source: sampleBase64(3), target: readFileSync(targets.gif).toString('base64') };
    expect(await swapAnimationFile(session, { ...request, faces: 'all' }, targets.gif, out)).toBe(0);
    expectOurManifest((await read(readFileSync(out), 'image/gif')).store, 'assertion.dataHash.match');
  });

  test('a swapped MP4', async () => {
    const out = join(dir, 'swapped.mp4');
    const request = {
      source: sampleBase64(3),
      faces: 'all' as const,
      quality: 'low' as const,
      container: 'mp4' as const,
    };
    expect(await swapVideoFile(session, request, targets.mov, out)).toBe(0);
    expectOurManifest((await read(readFileSync(out), 'video/mp4')).store, 'assertion.bmffHash.match');
  });
});

describe('A target with credentials of its own', () => {
  test('its manifest is dropped: the output carries only ours', async () => {
    const target = await readerPage.evaluate(
      (b64) => window.addCameraManifest!(b64, 'image/jpeg'),
      sampleBase64(2),
    );
    const input = (await read(Buffer.from(target, 'base64'), 'image/jpeg')).store;
    const camera = input!.manifests![input!.active_manifest!]!;
    expect(camera.claim_generator_info?.[0]?.name).toBe('Test Camera');
    const out = await swapPhoto(target, 'jpeg');
    const active = expectOurManifest((await read(out, 'image/jpeg')).store, 'assertion.dataHash.match');
    expect(active.label).not.toBe(camera.label);
    expect(JSON.stringify(active)).not.toContain('Test Camera');
  });

  test('a broken manifest: the target still swaps, and only ours is in the output', async () => {
    const signed = Buffer.from(
      await readerPage.evaluate((b64) => window.addCameraManifest!(b64, 'image/jpeg'), sampleBase64(2)),
      'base64',
    );
    // Break the claim: overwrite its generator's name inside the JUMBF, so its hash and signature no longer match.
    const at = signed.indexOf('Test Camera');
    expect(at).toBeGreaterThan(0);
    signed.write('Fake Camera', at);
    const broken = (await read(signed, 'image/jpeg')).store;
    expect(statusCodes(broken!).failure.length).toBeGreaterThan(1);
    const out = await swapPhoto(signed.toString('base64'), 'png');
    expectOurManifest((await read(out, 'image/png')).store, 'assertion.dataHash.match');
  });
});

test('one install, one key: every output names the same signing certificate', () => {
  expect(serials.length).toBeGreaterThanOrEqual(6);
  expect(new Set(serials).size).toBe(1);
});
