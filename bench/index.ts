/**
 * `npm run bench [-- --engine neural | --video | --live | --server | --quality]`: the neural benchmark
 * (bench/neural.ts), the video benchmark (bench/video.ts), the live camera benchmark
 * (bench/live.ts), the license server benchmark (bench/server.ts), swap quality (bench/quality.ts),
 * else the image benchmark
 * (bench/image.ts).
 */
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'mesh' },
    video: { type: 'boolean', default: false },
    live: { type: 'boolean', default: false },
    server: { type: 'boolean', default: false },
    quality: { type: 'boolean', default: false },
  },
  strict: false,
});
if (values.server) await import('./server');
else if (values.quality) await import('./quality');
else if (values.video) await import('./video');
else if (values.live) await import('./live');
else if (values.engine === 'neural') await import('./neural');
else await import('./image');
