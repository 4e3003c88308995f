/**
 * Just enough of an ELF reader (64-bit, little-endian) to check a shared object built for
 * Lambda: its machine, the libraries it needs, its run path and the symbol versions it requires
 * (`.gnu.version_r`, what `readelf -V` lists under "Version needs"). Sections are found through
 * the section header table, strings through each section's linked string table.
 */

export interface ElfInfo {
  /** e_type: 2 executable, 3 shared object. */
  readonly type: number;
  /** e_machine: 62 x86-64, 183 AArch64. */
  readonly machine: number;
  readonly soname?: string;
  readonly needed: readonly string[];
  /** DT_RUNPATH, or DT_RPATH when there is no RUNPATH. */
  readonly runpath?: string;
  /** Every version required from another object, e.g. `libc.so.6: GLIBC_2.17`. */
  readonly versionsNeeded: readonly { readonly file: string; readonly version: string }[];
}

const SHT_DYNAMIC = 6;
const SHT_GNU_VERNEED = 0x6ffffffe;
const DT_NEEDED = 1;
const DT_SONAME = 14;
const DT_RPATH = 15;
const DT_RUNPATH = 29;

export function readElf(file: Buffer): ElfInfo {
  if (file.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF file');
  if (file[4] !== 2 || file[5] !== 1) throw new Error('only 64-bit little-endian ELF is supported');
  const shoff = Number(file.readBigUInt64LE(0x28));
  const shentsize = file.readUInt16LE(0x3a);
  const shnum = file.readUInt16LE(0x3c);
  const sections = Array.from({ length: shnum }, (_, i) => {
    const at = shoff + i * shentsize;
    return {
      type: file.readUInt32LE(at + 4),
      offset: Number(file.readBigUInt64LE(at + 0x18)),
      size: Number(file.readBigUInt64LE(at + 0x20)),
      link: file.readUInt32LE(at + 0x28),
    };
  });
  const stringAt = (table: number, index: number) => {
    const start = sections[table]!.offset + index;
    return file.toString('latin1', start, file.indexOf(0, start));
  };

  const needed: string[] = [];
  let soname: string | undefined;
  let rpath: string | undefined;
  let runpath: string | undefined;
  for (const section of sections.filter((s) => s.type === SHT_DYNAMIC)) {
    for (let at = section.offset; at < section.offset + section.size; at += 16) {
      const tag = Number(file.readBigInt64LE(at));
      const value = Number(file.readBigUInt64LE(at + 8));
      if (tag === 0) break;
      if (tag === DT_NEEDED) needed.push(stringAt(section.link, value));
      else if (tag === DT_SONAME) soname = stringAt(section.link, value);
      else if (tag === DT_RPATH) rpath = stringAt(section.link, value);
      else if (tag === DT_RUNPATH) runpath = stringAt(section.link, value);
    }
  }

  const versionsNeeded: { file: string; version: string }[] = [];
  for (const section of sections.filter((s) => s.type === SHT_GNU_VERNEED)) {
    // Elf64_Verneed { vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32 }
    // Elf64_Vernaux { vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32 }
    for (let need = section.offset; ; ) {
      const count = file.readUInt16LE(need + 2);
      const needFile = stringAt(section.link, file.readUInt32LE(need + 4));
      for (let i = 0, aux = need + file.readUInt32LE(need + 8); i < count; i++) {
        versionsNeeded.push({ file: needFile, version: stringAt(section.link, file.readUInt32LE(aux + 8)) });
        aux += file.readUInt32LE(aux + 12);
      }
      const next = file.readUInt32LE(need + 12);
      if (next === 0) break;
      need += next;
    }
  }

  return {
    type: file.readUInt16LE(0x10),
    machine: file.readUInt16LE(0x12),
    ...(soname === undefined ? {} : { soname }),
    needed,
    ...((runpath ?? rpath) === undefined ? {} : { runpath: runpath ?? rpath }),
    versionsNeeded,
  };
}

/** `GLIBC_2.34` -> [2, 34]; anything else (GCC_3.0, a library's own versions) -> undefined. */
export function glibcVersion(version: string): readonly [number, number] | undefined {
  const match = /^GLIBC_(\d+)\.(\d+)(?:\.\d+)?$/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}
