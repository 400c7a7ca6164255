import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Hono } from 'hono';
import { inject } from 'vitest';
import { createApp } from '../../server/app';
import type { StripeDeps } from '../../server/app-deps';
import type { RateLimitConfig } from '../../server/config';
import { bytesToBase64 } from '../../src/shared/bytes';
import { deviceIdOfKey, proofMessage, type DeviceProof } from '../../src/shared/license/device-proof';
import { generateSigningKeyPem, parseSigningKey, publicKeySpkiBase64 } from '../../server/crypto/signing-key';
import { openDatabase, type DatabaseTarget, type Db } from '../../server/db/database';
import { importLicensePublicKey } from '../../src/shared/license/verify-license-file';
import { createLicense } from '../../server/store/licenses';

/** In-memory PGlite, started from global-setup's snapshot when there is one. */
function memoryDatabase(): DatabaseTarget {
  const snapshotPath = inject('pgliteSnapshot');
  return { memory: true, snapshot: snapshotPath ? new Blob([readFileSync(snapshotPath)]) : undefined };
}

/**
 * The databases a test runs on: in-memory PGlite always, and PostgreSQL where global-setup has one
 * (CI requires it). Tests on PostgreSQL share its database with other files: count only your own rows.
 */
export function testDatabases(): { name: string; database: DatabaseTarget | undefined }[] {
  const url = inject('postgresUrl');
  return [
    { name: 'PGlite', database: undefined },
    ...(url ? [{ name: 'PostgreSQL', database: { url } }] : []),
  ];
}

export interface TestServerOptions {
  limits?: Partial<RateLimitConfig>;
  database?: DatabaseTarget;
  stripe?: StripeDeps;
  /** 1 unless told: the harness's requests carry X-Forwarded-For as one proxy would set it. */
  trustedProxies?: number;
  /** Another instance's pepper, to share its database. */
  pepper?: Buffer;
}

export const SECURITY_TXT_EXPIRES = new Date('2099-01-01T00:00:00Z');

/** A license server (on in-memory PGlite unless told otherwise), with a fresh signing key and pepper. */
export async function startTestServer(options: TestServerOptions = {}) {
  const db = await openDatabase(options.database ?? memoryDatabase());
  const signingKey = parseSigningKey(generateSigningKeyPem());
  const pepper = options.pepper ?? randomBytes(32);
  const app = createApp({
    db,
    signingKey,
    pepper,
    config: {
      trustedProxies: options.trustedProxies ?? 1,
      appOrigins: [],
      securityContact: 'mailto:security@example.com',
      securityTxtExpires: SECURITY_TXT_EXPIRES,
      limits: { perIp: 10_000, perKey: 10_000, windowSeconds: 60, trialsPerBlock: 10_000, ...options.limits },
    },
    now: () => new Date(),
    stripe: options.stripe ?? null,
  });
  const publicKey = await importLicensePublicKey(publicKeySpkiBase64(signingKey));
  return { app, db, signingKey, pepper, publicKey };
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

let nextAddress = 1;
/** A distinct client address per call unless one is given, so the per-IP limit stays out of the way. */
export function send(
  app: Hono,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const address = headers['x-forwarded-for'] ?? `10.0.${(nextAddress >> 8) & 255}.${nextAddress++ & 255}`;
  return app.request(path, {
    method,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address, ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export type KeyAlgorithm = 'Ed25519' | 'P-256';

/** A device as the app makes one: a key pair in WebCrypto, its id the SHA-256 of the public key. */
export async function makeDevice(algorithm: KeyAlgorithm = 'Ed25519', format: 'jwk' | 'spki' = 'jwk') {
  const params = algorithm === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };
  const keys = (await crypto.subtle.generateKey(params, false, ['sign', 'verify'])) as CryptoKeyPair;
  const deviceId = await deviceIdOfKey(keys.publicKey);
  const exported =
    format === 'spki'
      ? bytesToBase64(new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)))
      : await crypto.subtle.exportKey('jwk', keys.publicKey);
  const publicKey =
    typeof exported === 'string'
      ? exported
      : algorithm === 'Ed25519'
        ? { kty: 'OKP' as const, crv: 'Ed25519' as const, x: exported.x! }
        : { kty: 'EC' as const, crv: 'P-256' as const, x: exported.x!, y: exported.y! };
  const signParams = algorithm === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
  const sign = async (nonce: string): Promise<DeviceProof> => ({
    publicKey,
    nonce,
    signature: bytesToBase64(
      new Uint8Array(await crypto.subtle.sign(signParams, keys.privateKey, proofMessage(nonce))),
    ),
  });
  /** Fetches a nonce from the server and signs it. */
  const proof = async (app: Hono): Promise<DeviceProof> => {
    const response = await send(app, 'POST', '/api/nonce');
    const { nonce } = (await response.json()) as { nonce: string };
    return sign(nonce);
  };
  return { deviceId, sign, proof };
}

export type Device = Awaited<ReturnType<typeof makeDevice>>;

export async function activationBody(app: Hono, device: Device, key: string) {
  return {
    key,
    deviceId: device.deviceId,
    label: 'Chrome on Linux',
    appVersion: '0.1.0',
    proof: await device.proof(app),
  };
}

export async function issueKey(db: Db, expiresAt: Date | null = null): Promise<{ id: string; key: string }> {
  return createLicense(db, { plan: 'pro', email: 'buyer@example.com', expiresAt });
}

export interface RowCounts {
  licenses: number;
  activations: number;
  trials: number;
  nonces: number;
  stripe_events: number;
}

export async function rowCounts(db: Db): Promise<RowCounts> {
  const { rows } = await sql<RowCounts>`
    select (select count(*)::int from licenses) as licenses,
           (select count(*)::int from activations) as activations,
           (select count(*)::int from trials) as trials,
           (select count(*)::int from nonces) as nonces,
           (select count(*)::int from stripe_events) as stripe_events`.execute(db);
  return rows[0]!;
}

/** Every row of every table as one JSON string, to search for things that must not be stored. */
export async function allRows(db: Db): Promise<string> {
  const tables = [
    'licenses',
    'activations',
    'trials',
    'nonces',
    'stripe_events',
    'rate_limits',
    'audit_log',
  ] as const;
  const dumps = await Promise.all(tables.map((table) => db.selectFrom(table).selectAll().execute()));
  return JSON.stringify(dumps);
}

/** POSTs an activation (or a takeover) of `key` from `device`, with a fresh nonce signed by it. */
export async function requestActivation(
  app: Hono,
  device: Device,
  key: string,
  route: 'activate' | 'takeover' = 'activate',
): Promise<Response> {
  return send(app, 'POST', `/api/licenses/${route}`, await activationBody(app, device, key));
}

/**
 * `count` new devices send `route` for `key` at the same moment: the responses, their statuses
 * sorted, and the activation rows the license has afterwards.
 */
export async function raceActivations(
  server: TestServer,
  licenseId: string,
  key: string,
  count: number,
  route: 'activate' | 'takeover',
): Promise<{ responses: Response[]; statuses: number[]; rows: number }> {
  const devices = await Promise.all(Array.from({ length: count }, () => makeDevice()));
  const bodies = await Promise.all(devices.map((device) => activationBody(server.app, device, key)));
  const responses = await Promise.all(
    bodies.map((body) => send(server.app, 'POST', `/api/licenses/${route}`, body)),
  );
  const rows = await server.db
    .selectFrom('activations')
    .select('device_hash')
    .where('license_id', '=', licenseId)
    .execute();
  return { responses, statuses: responses.map((response) => response.status).sort(), rows: rows.length };
}
