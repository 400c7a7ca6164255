import { build, preview } from 'vite';

/** Builds the production app and serves it (with the production headers) on localhost. */
const port = Number(process.env.PORT ?? 4173);
if (!process.argv.includes('--no-build')) await build({ logLevel: 'warn' });
const server = await preview({ preview: { port, host: 'localhost', strictPort: false }, logLevel: 'warn' });
const address = server.httpServer.address();
const actual = address && typeof address === 'object' ? address.port : port;
console.log(`Doppel is running at http://localhost:${actual}/  (Ctrl+C to stop)`);
