#!/usr/bin/env python3
"""Turns a file into a C array so the binary serves its own assets.

usage: embed.py INPUT OUTPUT.c SYMBOL
Writes `const char SYMBOL[]` (NUL-terminated) and `const unsigned SYMBOL_len`.
"""
import sys

src, out, sym = sys.argv[1:4]
data = open(src, 'rb').read()
with open(out, 'w') as f:
    f.write('/* generated from %s by tools/embed.py - do not edit */\n' % src)
    f.write('const char %s[] = {\n' % sym)
    for i in range(0, len(data), 16):
        f.write('  ' + ', '.join("'\\x%02x'" % b for b in data[i:i + 16]) + ',\n')
    f.write('  0};\n')
    f.write('const unsigned %s_len = %d;\n' % (sym, len(data)))
