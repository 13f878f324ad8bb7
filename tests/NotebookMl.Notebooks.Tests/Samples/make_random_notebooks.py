"""Writes, with the real nbformat, seeded random notebooks into a folder: random text (control
characters, every line boundary Python's splitlines knows, astral characters), random nested
metadata with floats over the whole range, random outputs. Usage: make_random_notebooks.py DIR COUNT SEED"""
import os
import random
import struct
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

folder, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
POOL = list("abcXYZ 019_-.:/\\\"'{}[]<>&+é世界✓") + [
    "\n", "\r", "\r\n", "\t", "\x00", "\x01", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x7f",
    "\x85", "\u2028", "\u2029", "\ufeff", "\uffff", "\ue000", "😀", "𝔘", "\u0301",
]


def text(max_len=40):
    return "".join(rng.choice(POOL) for _ in range(rng.randint(0, max_len)))


def number():
    kind = rng.randint(0, 3)
    if kind == 0:
        return rng.randint(-10**20, 10**20)
    if kind == 1:
        return struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
    if kind == 2:
        return rng.random() * 10 ** rng.randint(-30, 30)
    return float(rng.randint(-1000, 1000))


def value(depth=0):
    kind = rng.randint(0, 6 if depth < 3 else 3)
    if kind == 0:
        return text()
    if kind == 1:
        n = number()
        return n if n == n and abs(n) != float("inf") else 0.5
    if kind == 2:
        return rng.choice([True, False, None])
    if kind == 3:
        return text(8)
    if kind == 4:
        return [value(depth + 1) for _ in range(rng.randint(0, 4))]
    return {text(6): value(depth + 1) for _ in range(rng.randint(0, 4))}


def outputs():
    result = []
    for _ in range(rng.randint(0, 3)):
        kind = rng.choice(["stream", "display_data", "execute_result", "error"])
        if kind == "stream":
            result.append(new_output("stream", name=rng.choice(["stdout", "stderr"]), text=text(80)))
        elif kind == "error":
            result.append(new_output("error", ename=text(8), evalue=text(), traceback=[text() for _ in range(2)]))
        else:
            data = {"text/plain": text(80), "text/html": text(80), "application/json": value(1), "image/png": text(20)}
            extra = {"execution_count": rng.randint(1, 99)} if kind == "execute_result" else {}
            result.append(new_output(kind, data=data, metadata={text(5): value(2)}, **extra))
    return result


for n in range(count):
    nb = new_notebook(metadata={text(8): value() for _ in range(rng.randint(0, 5))})
    cells = []
    for i in range(rng.randint(0, 6)):
        meta = {text(6): value(1) for _ in range(rng.randint(0, 2))}
        kind = rng.randint(0, 2)
        if kind == 0:
            cells.append(new_code_cell(text(120), id=f"c{i}", metadata=meta, outputs=outputs(),
                                       execution_count=rng.choice([None, rng.randint(1, 50)])))
        elif kind == 1:
            cells.append(new_markdown_cell(text(120), id=f"m{i}", metadata=meta))
        else:
            cells.append(new_raw_cell(text(120), id=f"r{i}", metadata=meta))
    nb.cells = cells
    nbformat.write(nb, os.path.join(folder, f"random-{n:03}.ipynb"))
