"""Gzip a cached page once, then put each visitor's CSRF token into the compressed bytes.

Browsers ask for compressed pages, and compressing a 54 kB catalogue page costs 0.5-0.9 ms,
more than all the rest of a cache hit. The page is the same for every guest but for the token
in its forms, so it is compressed once, when it is stored, in pieces that end where a token
goes, and on a hit the visitor's token goes between the pieces as a "stored" (uncompressed)
deflate block. The result is one ordinary gzip stream (RFC 1951 and 1952), which every browser
reads; per visit only the CRC-32 of the page is computed.

Each piece is compressed by a fresh compressor that ends byte-aligned, primed with what came
before it, the token's place filled with NUL bytes of the token's length. With no NUL in the
page, no match can start or end inside that filler, so the compressed pieces are right for any
token of that length. A page that does hold a NUL byte is not compressed here at all.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

# Magic, deflate, no flags, no modification time, no extra flags, operating system unknown.
_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
_WINDOW = 1 << zlib.MAX_WBITS  # how far back a deflate match may reach
_STORED_BLOCK_MAX = 0xFFFF


def compress_pieces(
    pieces: Sequence[bytes], filling_length: int, level: int = 9
) -> tuple[bytes, ...] | None:
    """Return the raw deflate data of each piece, for fillings of `filling_length` bytes.

    Return None when a piece holds a NUL byte: a match could then reach into a filling.
    """
    if filling_length > _STORED_BLOCK_MAX:
        raise ValueError("a filling must fit in one stored deflate block")
    if any(b"\x00" in piece for piece in pieces):
        return None
    filler = b"\x00" * filling_length
    compressed, before = [], b""
    for number, piece in enumerate(pieces):
        if number:
            before = (before + pieces[number - 1] + filler)[-_WINDOW:]
        last = number == len(pieces) - 1
        if before:
            compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS, zdict=before)
        else:
            compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
        data = compressor.compress(piece)
        compressed.append(data + compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH))
    return tuple(compressed)


def _stored_block(data: bytes) -> bytes:
    # Not the last block, type 00 (stored), then LEN and its ones' complement, little-endian.
    return b"\x00" + struct.pack("<HH", len(data), len(data) ^ 0xFFFF) + data


def gzip_filled(compressed: Sequence[bytes], pieces: Sequence[bytes], filling: bytes) -> bytes:
    """Return the gzip stream of `filling.join(pieces)`, given `compress_pieces(pieces, n)`.

    `filling` must be n bytes long, with no NUL byte, when there is more than one piece.
    """
    block = _stored_block(filling) if len(pieces) > 1 and filling else b""
    crc = 0
    for number, piece in enumerate(pieces):
        if number:
            crc = zlib.crc32(filling, crc)
        crc = zlib.crc32(piece, crc)
    size = sum(map(len, pieces)) + len(filling) * (len(pieces) - 1)
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    return b"".join((_HEADER, block.join(compressed), trailer))
