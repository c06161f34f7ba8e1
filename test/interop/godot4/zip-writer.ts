// A store-only ZIP writer: enough to pack a small Godot project for `--main-pack`.
// Godot 4 reads zips through its ZIP pack source (minizip), which accepts
// uncompressed ("stored") entries, so no deflate is needed and the archive stays
// byte-for-byte predictable.

import { crc32 } from 'node:zlib';

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;
/** 2.0: the lowest version that every reader accepts for plain stored files. */
const VERSION_NEEDED = 20;
/** Bit 11: names are UTF-8. */
const FLAG_UTF8_NAMES = 0x0800;
const METHOD_STORED = 0;
/** 1980-01-01 00:00 in MS-DOS date/time form, so the output does not depend on the clock. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/**
 * Packs `files` (path inside the archive → content; text is written as UTF-8) into a zip.
 * Paths use `/` and no leading slash, e.g. `project.godot`, `scripts/main.gd`.
 */
export function writeZip(files: Record<string, string | Uint8Array>): Buffer {
  const localParts: Buffer[] = [];
  const centralParts: Buffer[] = [];
  let offset = 0;
  const names = Object.keys(files);
  for (const name of names) {
    if (name.startsWith('/') || name.includes('\\')) {
      throw new Error(`zip entry names are relative with '/' separators: ${name}`);
    }
    const content = files[name]!;
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
    const nameBytes = Buffer.from(name, 'utf8');
    const checksum = crc32(data);
    // Small test projects only: no ZIP64, so every size and offset fits 32 bits.
    if (data.length > 0xffff_fff0 || offset > 0xffff_fff0) throw new Error('zip too large for this writer (no ZIP64)');

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER_SIGNATURE, 0);
    local.writeUInt16LE(VERSION_NEEDED, 4);
    local.writeUInt16LE(FLAG_UTF8_NAMES, 6);
    local.writeUInt16LE(METHOD_STORED, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(data.length, 18); // compressed size
    local.writeUInt32LE(data.length, 22); // uncompressed size
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    localParts.push(local, nameBytes, data);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_HEADER_SIGNATURE, 0);
    central.writeUInt16LE(VERSION_NEEDED, 4); // version made by (MS-DOS, 2.0)
    central.writeUInt16LE(VERSION_NEEDED, 6);
    central.writeUInt16LE(FLAG_UTF8_NAMES, 8);
    central.writeUInt16LE(METHOD_STORED, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(checksum, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    // extra length, comment length, disk number, internal and external attributes: all 0
    central.writeUInt32LE(offset, 42);
    centralParts.push(central, nameBytes);

    offset += local.length + nameBytes.length + data.length;
  }
  const centralDirectory = Buffer.concat(centralParts);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY_SIGNATURE, 0);
  // disk numbers 0 and 0
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  // comment length 0
  return Buffer.concat([...localParts, centralDirectory, end]);
}
