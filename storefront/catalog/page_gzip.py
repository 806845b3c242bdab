"""Gzip a cached page once, then put each visitor's CSRF token into the compressed bytes.

Browsers ask for compressed pages, and compressing a 54 kB catalogue page costs 0.5-0.9 ms,
more than all the rest of a cache hit. The page is the same for every guest but for the token
in its forms, so it is compressed once, when it is stored, in pieces that end where a token
goes, and on a hit the visitor's token goes between the pieces as a "stored" (uncompressed)
deflate block. The result is one ordinary gzip stream (RFC 1951 and 1952), which every browser
reads. Per visit not even the page's CRC-32 is computed again: CRC-32 is linear, so the CRC of
the page with a token is the CRC with NUL fillers, changed by a 32 x 32 bit matrix applied to
the token's own CRC (worked out once, when stored). A hit costs a few microseconds here.

Each piece is compressed by a fresh compressor that ends byte-aligned, primed with what came
before it, the token's place filled with NUL bytes of the token's length. With no NUL in the
page, no match can start or end inside that filler, so the compressed pieces are right for any
token of that length. A page that does hold a NUL byte is not compressed here at all.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

# Magic, deflate, no flags, no modification time, no extra flags, operating system unknown.
_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
_WINDOW = 1 << zlib.MAX_WBITS  # how far back a deflate match may reach
_STORED_BLOCK_MAX = 0xFFFF
_MASK = 0xFFFFFFFF


@dataclass(frozen=True)
class GzippedPage:
    """A page gzipped once, in pieces, that takes any filling of `filling_length` bytes."""

    blocks: tuple[bytes, ...]  # the raw deflate data of each piece
    filling_length: int
    size: int  # of the page with its fillings
    crc_with_nul_fillings: int
    # Column k: what bit k of a filling's raw CRC register changes in the page's CRC.
    filling_crc_columns: tuple[int, ...]


def gzip_page(pieces: Sequence[bytes], filling_length: int, level: int = 9) -> GzippedPage | None:
    """Gzip the page `filling.join(pieces)` once, for any filling of `filling_length` bytes.

    Return None when a piece holds a NUL byte: a match could then reach into a filling.
    """
    blocks = _compress_pieces(pieces, filling_length, level)
    if blocks is None:
        return None
    page_with_nul = (b"\x00" * filling_length).join(pieces)
    return GzippedPage(
        blocks=blocks,
        filling_length=filling_length,
        size=len(page_with_nul),
        crc_with_nul_fillings=zlib.crc32(page_with_nul),
        filling_crc_columns=_filling_crc_columns(pieces, filling_length),
    )


def _compress_pieces(
    pieces: Sequence[bytes], filling_length: int, level: int
) -> tuple[bytes, ...] | None:
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


def _after_zeros(register: int, count: int) -> int:
    """Return a raw CRC-32 register (no pre- or post-inversion) after `count` zero bytes."""
    return ~zlib.crc32(bytes(count), ~register & _MASK) & _MASK


def _filling_crc_columns(pieces: Sequence[bytes], filling_length: int) -> tuple[int, ...]:
    # The page with a filling F differs from the page with NUL fillings by F at each filling's
    # place and zeros elsewhere. By linearity that changes the CRC by the sum, over fillings,
    # of F's raw register carried through the zero bytes after it: one matrix for all fillings.
    if len(pieces) < 2:
        return ()
    gaps = [filling_length + len(piece) for piece in pieces[1:]]  # a filling's end to the next's
    columns = []
    for bit in range(32):
        register = 1 << bit
        for gap in gaps[:-1]:
            register = _after_zeros(register, gap) ^ (1 << bit)
        columns.append(_after_zeros(register, gaps[-1] - filling_length))
    return tuple(columns)


def _page_crc(page: GzippedPage, filling: bytes) -> int:
    if not page.filling_crc_columns:
        return page.crc_with_nul_fillings
    register = ~zlib.crc32(filling, _MASK) & _MASK  # the filling's raw register, from zero
    crc = page.crc_with_nul_fillings
    while register:
        lowest = register & -register
        crc ^= page.filling_crc_columns[lowest.bit_length() - 1]
        register ^= lowest
    return crc


def gzip_filled(page: GzippedPage, filling: bytes) -> bytes:
    """Return the gzip stream of the page with `filling` (no NUL byte) in each filling's place."""
    if len(filling) != page.filling_length:
        raise ValueError("the filling is not as long as the page was gzipped for")
    block = _stored_block(filling) if len(page.blocks) > 1 and filling else b""
    trailer = struct.pack("<II", _page_crc(page, filling), page.size & _MASK)
    return b"".join((_HEADER, block.join(page.blocks), trailer))
