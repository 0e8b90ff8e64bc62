#!/usr/bin/env python3
"""Checks that PNG screenshots of report charts are not blank, with the standard library only.

Usage: png_check.py [--cell-height H] FILE.png...

With --cell-height, each file is a column of charts, one per H pixels from the top, and each
is checked on its own (one screenshot of many charts saves starting the browser per chart).
A chart passes when at least 1% of its pixels are not background (white or the plot area's
light grey) and at least 20 pixels inside its plot area carry a series colour of the
report's palette: the data marks were drawn, not only the axes and the legend. Prints one line per file; exit status 1 if any fails.
"""
import struct
import sys
import zlib

# The report's series colours (Sources/Reports/SVGText.swift; the plan's verdicts use them
# too), but its dark grey, which anti-aliased black text can produce.
PALETTE = ["0072B2", "D55E00", "009E73", "CC79A7", "E69F00", "56B4E9", "6A3D9A"]
# The plot area inside a chart: left, top, width, height (Sources/Reports/ChartFrame.swift),
# with the 4 pixels above and below it where marks at its ends are still drawn.
PLOT = (88, 54, 644, 288)


def decode(path):
    """Returns (width, height, rows of (r, g, b) tuples) of an 8-bit RGB or RGBA PNG."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (2, 6) or interlace != 0:
                raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    if width is None:
        raise ValueError("no IHDR chunk")
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            upper_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - upper_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else upper_left
                line[i] = (line[i] + predictor) & 255
        rows.append([tuple(line[x * channels:x * channels + 3]) for x in range(width)])
        previous = line
    return width, height, rows


def check(path, width, height, rows):
    palette = {tuple(int(c[i:i + 2], 16) for i in (0, 2, 4)) for c in PALETTE}
    ink = coloured = 0
    left, top, plot_width, plot_height = PLOT
    for y, row in enumerate(rows):
        inside_rows = top <= y < top + plot_height
        for x, pixel in enumerate(row):
            if min(pixel) < 235:
                ink += 1
                # Markers and the middle of lines are drawn in the exact colour.
                if inside_rows and left <= x < left + plot_width and pixel in palette:
                    coloured += 1
    share = ink / float(width * height)
    ok = share >= 0.01 and coloured >= 20
    return ok, f"{path}: {width}x{height}, {share:.1%} drawn, {coloured} pixels of data marks"


def main(arguments):
    cell = None
    if arguments[:1] == ["--cell-height"] and len(arguments) >= 2:
        cell, arguments = int(arguments[1]), arguments[2:]
    if not arguments:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    failed = False
    for path in arguments:
        try:
            width, height, rows = decode(path)
            cells = [(path, rows)] if cell is None else [
                (f"{path}#{i + 1}", rows[top:top + cell]) for i, top in enumerate(range(0, height - cell + 1, cell))]
            if not cells:
                raise ValueError(f"shorter than one cell of {cell} pixels")
            results = [check(name, width, len(part), part) for name, part in cells]
        except (OSError, ValueError, zlib.error) as error:
            results = [(False, f"{path}: {error}")]
        for ok, line in results:
            print(("ok    " if ok else "BLANK ") + line)
            failed |= not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
