#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write a C header that holds a text file as a string constant.

Usage: embed.py INPUT OUTPUT NAME. Used to build the daemon's embedded
default config from conf/demo.json, so the file and the binary never
disagree.
"""
import sys

src, dst, name = sys.argv[1:4]
with open(src, encoding="utf-8") as f:
    text = f.read()
lines = ['/* Generated from %s by tools/embed.py: do not edit. */' % src.split('/')[-1],
         'static const char %s[] =' % name]
for line in text.splitlines(True):
    esc = line.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')
    lines.append('\t"%s"' % esc)
lines[-1] += ';'
with open(dst, "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
