/**
 * `npm run bench [-- --engine neural]`: the neural benchmark (bench/neural.ts) with `--engine neural`,
 * else the image benchmark (bench/image.ts).
 */
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { engine: { type: 'string', default: 'mesh' } }, strict: false });
if (values.engine === 'neural') await import('./neural');
else await import('./image');
