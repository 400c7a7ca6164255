import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  canonicalJson,
  parseBuildManifest,
  parsePublicKey,
  signedBytes,
  verifyBuild,
  verifyManifestSignature,
  type BuildManifest,
} from '../../src/shared/build-manifest';
import { bytesToBase64, bytesToHex } from '../../src/shared/bytes';
import { listShippedFiles, signManifest, writeBuildManifest } from '../../scripts/lib/build-manifest';
import { devKeyPath, loadSigningKey, rawPublicKey } from '../../scripts/lib/signing-key';

function newKey() {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: rawPublicKey(privateKey) };
}

/** A small deployment in a temp dir, signed with a fresh key. */
function signedDeployment() {
  const dir = mkdtempSync(join(tmpdir(), 'doppel-manifest-'));
  mkdirSync(join(dir, 'assets'));
  mkdirSync(join(dir, '.well-known'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dir, 'assets/app.js'), 'console.log(1);\n');
  writeFileSync(
    join(dir, 'assets/model.bin'),
    new Uint8Array(4096).map((_, i) => i * 7),
  );
  writeFileSync(join(dir, '.well-known/security.txt'), 'Contact: mailto:security@doppel.example\n');
  const key = newKey();
  const manifest = writeBuildManifest(dir, key, '1.2.3', new Date('2030-01-02T03:04:05Z'));
  const readFile = async (path: string) => {
    try {
      return new Uint8Array(readFileSync(join(dir, path)));
    } catch {
      return null;
    }
  };
  return { dir, key, manifest, readFile };
}

const clone = (m: BuildManifest): BuildManifest => JSON.parse(JSON.stringify(m));

describe('canonical serialisation', () => {
  test('sorts object keys at every depth, keeps array order, no whitespace, drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [3, { z: true, y: null }, 'x'], c: undefined, ä: 'é\n"' })).toBe(
      '{"a":[3,{"y":null,"z":true},"x"],"b":1,"ä":"é\\n\\""}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(() => canonicalJson({ a: NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(TypeError);
  });

  test('the signed bytes cover everything but the signature, whatever the key order', () => {
    const { manifest } = signedDeployment();
    const reordered = {
      signature: 'other',
      files: manifest.files,
      publicKey: manifest.publicKey,
    } as BuildManifest;
    Object.assign(reordered, {
      createdAt: manifest.createdAt,
      appVersion: manifest.appVersion,
      version: manifest.version,
    });
    expect(signedBytes(reordered)).toEqual(signedBytes(manifest));
    const text = new TextDecoder().decode(signedBytes(manifest));
    expect(text.startsWith('{"appVersion":"1.2.3","createdAt":"2030-01-02T03:04:05.000Z","files":[')).toBe(
      true,
    );
    expect(text).not.toContain('signature');
  });
});

describe('sign and verify', () => {
  test('lists every file but the manifest, sorted, with size and SHA-256', () => {
    const { dir, manifest } = signedDeployment();
    expect(manifest.files.map((f) => f.path)).toEqual([
      '.well-known/security.txt',
      'assets/app.js',
      'assets/model.bin',
      'index.html',
    ]);
    expect(listShippedFiles(dir)).not.toContain('build-manifest.json');
    expect(manifest.files[2]).toMatchObject({ bytes: 4096 });
    expect(parseBuildManifest(JSON.parse(readFileSync(join(dir, 'build-manifest.json'), 'utf8')))).toEqual(
      manifest,
    );
  });

  test('a fresh deployment verifies (node:crypto signs, WebCrypto verifies), with and without a pinned key', async () => {
    const { key, manifest, readFile } = signedDeployment();
    expect(await verifyManifestSignature(manifest)).toBe(true);
    const tofu = await verifyBuild(manifest, readFile);
    expect(tofu).toMatchObject({ signatureValid: true, pinned: false, filesChecked: 4, problems: [] });
    expect(tofu.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const pinned = await verifyBuild(manifest, readFile, { publicKey: key.publicKey });
    expect(pinned).toMatchObject({ signatureValid: true, pinned: true, problems: [] });
  });

  test('one changed byte in any file is reported for that file', async () => {
    const { dir, manifest, readFile } = signedDeployment();
    for (const file of manifest.files) {
      const path = join(dir, file.path);
      const original = readFileSync(path);
      const changed = Buffer.from(original);
      changed[changed.length - 1] = changed.at(-1)! ^ 1;
      writeFileSync(path, changed);
      const report = await verifyBuild(manifest, readFile);
      expect(report.signatureValid).toBe(true);
      expect(report.problems).toEqual([
        expect.stringMatching(new RegExp(`^${file.path}: SHA-256 [0-9a-f]{64}, expected`)),
      ]);
      writeFileSync(path, original);
    }
    writeFileSync(join(dir, 'index.html'), 'short');
    const short = await verifyBuild(manifest, readFile);
    expect(short.problems[0]).toMatch(/^index\.html: 5 bytes, expected \d+$/);
  });

  test('a missing file is reported', async () => {
    const { manifest, readFile } = signedDeployment();
    const report = await verifyBuild(manifest, async (path) =>
      path === 'assets/app.js' ? null : readFile(path),
    );
    expect(report.problems).toEqual(['assets/app.js: missing']);
  });

  test('a changed list (entry removed, added, re-hashed; other fields) breaks the signature', async () => {
    const { manifest } = signedDeployment();
    const edits: ((m: BuildManifest) => void)[] = [
      (m) => m.files.pop(),
      (m) => m.files.push({ path: 'evil.js', bytes: 1, sha256: '0'.repeat(64) }),
      (m) => (m.files[0]!.sha256 = 'f'.repeat(64)),
      (m) => (m.files[1]!.bytes += 1),
      (m) => (m.files[1]!.path = 'assets/other.js'),
      (m) => m.files.reverse(),
      (m) => (m.appVersion = '9.9.9'),
      (m) => (m.createdAt = '2031-01-01T00:00:00.000Z'),
    ];
    for (const edit of edits) {
      const tampered = clone(manifest);
      edit(tampered);
      expect(await verifyManifestSignature(tampered)).toBe(false);
    }
  });

  test('a wrong key fails: pinned key differs, or the list re-signed by another key', async () => {
    const { manifest, readFile } = signedDeployment();
    const other = newKey();
    const pinnedWrong = await verifyBuild(manifest, readFile, { publicKey: other.publicKey });
    expect(pinnedWrong.signatureValid).toBe(false);
    expect(pinnedWrong.problems).toHaveLength(2);
    expect(pinnedWrong.problems[0]).toMatch(
      /^manifest names public key SHA256:\S+, not the expected SHA256:/,
    );

    // An attacker re-signs with their own key but keeps our public key in the manifest.
    const forged = signManifest({ ...manifest }, other.privateKey);
    expect(await verifyManifestSignature(forged)).toBe(false);
    // ...or puts their key in: trust on first use accepts it, a pinned key does not.
    const replaced = signManifest(
      { ...manifest, publicKey: bytesToBase64(other.publicKey) },
      other.privateKey,
    );
    expect(await verifyManifestSignature(replaced)).toBe(true);
    expect(await verifyManifestSignature(replaced, parsePublicKey(manifest.publicKey))).toBe(false);

    const garbled = { ...manifest, signature: 'not base64!' };
    expect(await verifyManifestSignature(garbled)).toBe(false);
  });

  test('malformed manifests are refused', () => {
    const { manifest } = signedDeployment();
    const bad: [(m: Record<string, unknown> & BuildManifest) => void, RegExp][] = [
      [(m) => (m.version = 2 as 1), /version/],
      [(m) => delete (m as Partial<BuildManifest>).signature, /signature/],
      [(m) => (m.files[0]!.path = '../etc/passwd'), /relative path/],
      [(m) => (m.files[0]!.path = '/index.html'), /relative path/],
      [(m) => (m.files[1]!.path = m.files[0]!.path), /listed twice/],
      [(m) => (m.files[0]!.sha256 = 'ABC'), /SHA-256/],
      [(m) => (m.files[0]!.bytes = -1), /size/],
    ];
    for (const [edit, message] of bad) {
      const m = clone(manifest) as Record<string, unknown> & BuildManifest;
      edit(m);
      expect(() => parseBuildManifest(m)).toThrow(message);
    }
    expect(() => parseBuildManifest([])).toThrow(/not a JSON object/);
  });
});

describe('keys', () => {
  test('a public key is accepted as 64 hex digits or base64 (standard or URL-safe), and nothing else', () => {
    const { publicKey } = newKey();
    expect(parsePublicKey(bytesToHex(publicKey))).toEqual(publicKey);
    expect(parsePublicKey(bytesToHex(publicKey).toUpperCase())).toEqual(publicKey);
    expect(parsePublicKey(bytesToBase64(publicKey))).toEqual(publicKey);
    expect(parsePublicKey(Buffer.from(publicKey).toString('base64url'))).toEqual(publicKey);
    for (const bad of [
      '',
      'abc',
      bytesToHex(publicKey).slice(2),
      bytesToBase64(new Uint8Array(31)),
      'not a key!',
    ]) {
      expect(() => parsePublicKey(bad)).toThrow(/32 bytes/);
    }
  });

  test('DOPPEL_SIGNING_KEY as PKCS#8 PEM or base64 DER; anything else, or a non-Ed25519 key, is refused', () => {
    const root = mkdtempSync(join(tmpdir(), 'doppel-key-'));
    const { privateKey, publicKey } = newKey();
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const der = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    for (const value of [pem, der]) {
      const key = loadSigningKey(root, { DOPPEL_SIGNING_KEY: value });
      expect(key.source).toBe('env');
      expect(key.publicKey).toEqual(publicKey);
    }
    expect(() => loadSigningKey(root, { DOPPEL_SIGNING_KEY: 'nonsense' })).toThrow(/DOPPEL_SIGNING_KEY/);
    const rsa = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    expect(() => loadSigningKey(root, { DOPPEL_SIGNING_KEY: rsa })).toThrow(/not Ed25519/);
  });

  test('without DOPPEL_SIGNING_KEY a development key is generated on first use and reused afterwards', () => {
    const root = mkdtempSync(join(tmpdir(), 'doppel-key-'));
    const first = loadSigningKey(root, {});
    expect(first.source).toBe('dev');
    expect(readFileSync(join(root, devKeyPath), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const second = loadSigningKey(root, {});
    expect(second.publicKey).toEqual(first.publicKey);
    expect(readFileSync(join(process.cwd(), '.gitignore'), 'utf8').split('\n')).toContain('.keys/');
  });
});
