"""Gzip once, fill in per visit: the stream any gzip reader gets is the page with the token."""

from __future__ import annotations

import gzip
import secrets
import zlib

import pytest

from storefront.catalog.page_gzip import compress_pieces, gzip_filled

TOKEN_LENGTH = 91  # a Flask-WTF signed token


def _token() -> bytes:
    return secrets.token_urlsafe(TOKEN_LENGTH)[:TOKEN_LENGTH].encode()


def _catalogue_like_pieces(cards: int) -> tuple[bytes, ...]:
    card = (
        '<div class="card"><h2>Trail Runner {n}</h2><p class="price">EUR {n}.95</p>'
        '<form method="post" action="/cart/add"><input type="hidden" name="variant_id" '
        'value="{n}"><input type="hidden" name="csrf_token" value="'
    )
    pieces = [b"<!doctype html><html><body>"]
    for n in range(cards):
        pieces[-1] += card.format(n=n).encode()
        pieces.append(b'"><button>Add</button></form></div>')
    pieces[-1] += b"</body></html>"
    return tuple(pieces)


@pytest.mark.parametrize("cards", [0, 1, 24, 400])
def test_the_stream_is_the_page_with_this_visitors_token(cards):
    pieces = _catalogue_like_pieces(cards)
    compressed = compress_pieces(pieces, TOKEN_LENGTH)
    for token in (_token(), _token()):
        assert gzip.decompress(gzip_filled(compressed, pieces, token)) == token.join(pieces)


def test_a_token_that_repeats_the_page_text_decodes_all_the_same():
    # Text the compressor saw before the token must not be copied from the token's place.
    pieces = (b"value=" * 40, b"value=" * 40, b"value=" * 40)
    compressed = compress_pieces(pieces, 12)
    token = b"value=value="
    assert gzip.decompress(gzip_filled(compressed, pieces, token)) == token.join(pieces)


def test_the_page_costs_gzip_of_its_text_plus_the_tokens_and_a_few_bytes_a_form():
    pieces = _catalogue_like_pieces(24)
    token = _token()
    filled = gzip_filled(compress_pieces(pieces, TOKEN_LENGTH), pieces, token)
    text_alone = gzip.compress(b"".join(pieces), compresslevel=9)
    forms = len(pieces) - 1
    assert len(filled) <= len(text_alone) + forms * (len(token) + 16)
    assert len(filled) < len(token.join(pieces)) / 2


def test_the_stream_carries_the_right_crc_and_length():
    pieces = _catalogue_like_pieces(3)
    token = _token()
    stream = gzip_filled(compress_pieces(pieces, TOKEN_LENGTH), pieces, token)
    page = token.join(pieces)
    assert int.from_bytes(stream[-8:-4], "little") == zlib.crc32(page)
    assert int.from_bytes(stream[-4:], "little") == len(page)


def test_a_page_holding_a_nul_byte_is_left_to_be_compressed_per_request():
    # The fillers are NUL bytes: a NUL in the page could be matched against a filler.
    assert compress_pieces((b"<p>\x00\x00\x00</p>", b"<p>after</p>"), TOKEN_LENGTH) is None
