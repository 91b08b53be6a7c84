import { crc32 } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { unzip, zip } from './zip';

describe('zip', () => {
  test('entries come back byte for byte, with UTF-8 names, and the CRCs are right', () => {
    const entries = [
      { name: 'INV-2026-000001.pdf', data: Buffer.from('%PDF-1.7 one'.repeat(100)) },
      { name: 'Rechnung Müller.pdf', data: Buffer.from([0, 1, 2, 255, 254]) },
      { name: 'empty.txt', data: Buffer.alloc(0) },
    ];
    const archive = zip(entries);
    expect(archive.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    const back = unzip(archive);
    expect(back.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    for (const [i, e] of back.entries()) expect(e.data.equals(entries[i]!.data)).toBe(true);
    // The CRC in the first local header is the data's.
    expect(archive.readUInt32LE(14)).toBe(crc32(entries[0]!.data));
    expect(zip(entries).equals(archive)).toBe(true);
  });
});
