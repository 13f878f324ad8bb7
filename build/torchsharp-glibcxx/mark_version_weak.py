import struct, sys
path, want = sys.argv[1], sys.argv[2].encode()
data = bytearray(open(path, 'rb').read())
assert data[:4] == b'\x7fELF' and data[4] == 2
shoff, = struct.unpack_from('<Q', data, 0x28); shentsize, shnum = struct.unpack_from('<HH', data, 0x3A)
sections = [struct.unpack_from('<IIQQQQIIQQ', data, shoff + i * shentsize) for i in range(shnum)]
changed = 0
for name, stype, flags, addr, off, size, link, info, align, entsize in sections:
    if stype != 0x6ffffffe:  # SHT_GNU_verneed
        continue
    stroff = sections[link][4]
    pos = off
    for _ in range(info):
        vn_version, vn_cnt, vn_file, vn_aux, vn_next = struct.unpack_from('<HHIII', data, pos)
        apos = pos + vn_aux
        for _ in range(vn_cnt):
            vna_hash, vna_flags, vna_other, vna_name, vna_next = struct.unpack_from('<IHHII', data, apos)
            end = data.index(b'\0', stroff + vna_name)
            if bytes(data[stroff + vna_name:end]) == want:
                struct.pack_into('<H', data, apos + 4, vna_flags | 0x2)  # VER_FLG_WEAK
                changed += 1
            apos += vna_next
        pos += vn_next
open(path, 'wb').write(data)
print(f"{changed} version need(s) marked weak")
