import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, createDeflateRaw } from 'node:zlib';

/**
 * The compression bomb: 1 GiB of zeros through raw deflate (level 9,
 * sync-flushed, the 00 00 ff ff tail stripped as RFC 7692 sends it), about
 * 1 MiB. Built once and cached in the temp directory.
 */
const INFLATED = 1024 ** 3;
export const BOMB_FILE = join(tmpdir(), 'gdws-flood-bomb-1gib.deflate');

export async function compressionBomb(): Promise<Buffer> {
  if (existsSync(BOMB_FILE)) return readFileSync(BOMB_FILE);
  const deflate = createDeflateRaw({ level: 9, memLevel: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => parts.push(chunk));
  const zeros = Buffer.alloc(16 * 1024 * 1024);
  for (let written = 0; written < INFLATED; written += zeros.length) {
    if (!deflate.write(zeros)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  await new Promise<void>((resolve) => deflate.flush(constants.Z_SYNC_FLUSH, () => resolve()));
  await new Promise((resolve) => setImmediate(resolve));
  deflate.destroy();
  const whole = Buffer.concat(parts);
  if (!whole.subarray(-4).equals(Buffer.from([0, 0, 0xff, 0xff]))) throw new Error('sync flush did not end with 00 00 ff ff');
  const bomb = whole.subarray(0, -4);
  writeFileSync(`${BOMB_FILE}.part`, bomb);
  renameSync(`${BOMB_FILE}.part`, BOMB_FILE);
  return bomb;
}
