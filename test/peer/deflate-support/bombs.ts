import { constants as zlibConstants, createDeflateRaw } from 'node:zlib';

/**
 * A raw DEFLATE stream built from sync-flushed pieces of zeros: about 16 KiB
 * on the wire per piece, `pieces * pieceBytes` inflated (16 MiB pieces by
 * default). Sync-flushed pieces end byte-aligned, so repeating one continues
 * the same stream; the last 00 00 ff ff tail is left off, as on the wire.
 */
export async function zeroBomb(pieces: number, pieceBytes = 16 << 20): Promise<Buffer> {
  const stream = createDeflateRaw({ level: 9 });
  const parts: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => parts.push(chunk));
  stream.write(Buffer.alloc(pieceBytes));
  await new Promise<void>((resolve) => stream.flush(zlibConstants.Z_SYNC_FLUSH, () => resolve()));
  stream.close();
  const piece = Buffer.concat(parts);
  return Buffer.concat(Array.from({ length: pieces }, () => piece)).subarray(0, piece.length * pieces - 4);
}
