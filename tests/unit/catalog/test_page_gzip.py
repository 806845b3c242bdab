"""Gzip once, fill in per visit: the stream any gzip reader gets is the page with the token."""

from __future__ import annotations

import gzip
import secrets
import zlib

import pytest

from storefront.catalog.page_gzip import gzip_filled, gzip_page

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
    page = gzip_page(pieces, TOKEN_LENGTH)
    for token in (_token(), _token()):
        assert gzip.decompress(gzip_filled(page, token)) == token.join(pieces)


def test_a_token_that_repeats_the_page_text_decodes_all_the_same():
    # Text the compressor saw before the token must not be copied from the token's place.
    pieces = (b"value=" * 40, b"value=" * 40, b"value=" * 40)
    token = b"value=value="
    assert gzip.decompress(gzip_filled(gzip_page(pieces, 12), token)) == token.join(pieces)


def test_the_page_costs_gzip_of_its_text_plus_the_tokens_and_a_few_bytes_a_form():
    pieces = _catalogue_like_pieces(24)
    token = _token()
    filled = gzip_filled(gzip_page(pieces, TOKEN_LENGTH), token)
    text_alone = gzip.compress(b"".join(pieces), compresslevel=9)
    forms = len(pieces) - 1
    assert len(filled) <= len(text_alone) + forms * (len(token) + 16)
    assert len(filled) < len(token.join(pieces)) / 2


def test_the_stream_carries_the_right_crc_and_length():
    pieces = _catalogue_like_pieces(3)
    token = _token()
    stream = gzip_filled(gzip_page(pieces, TOKEN_LENGTH), token)
    page = token.join(pieces)
    assert int.from_bytes(stream[-8:-4], "little") == zlib.crc32(page)
    assert int.from_bytes(stream[-4:], "little") == len(page)


def test_a_page_holding_a_nul_byte_is_left_to_be_compressed_per_request():
    # The fillers are NUL bytes: a NUL in the page could be matched against a filler.
    assert gzip_page((b"<p>\x00\x00\x00</p>", b"<p>after</p>"), TOKEN_LENGTH) is None


@pytest.mark.parametrize("token", [b"A" * TOKEN_LENGTH, b"\xff" * TOKEN_LENGTH, b"\x01" * 91])
def test_the_crc_is_right_for_tokens_of_extreme_bits(token):
    # The CRC is worked out from the token's own CRC, one bit at a time.
    pieces = _catalogue_like_pieces(24)
    stream = gzip_filled(gzip_page(pieces, TOKEN_LENGTH), token)
    assert int.from_bytes(stream[-8:-4], "little") == zlib.crc32(token.join(pieces))
    assert gzip.decompress(stream) == token.join(pieces)


def test_a_token_of_another_length_is_refused_rather_than_sent_corrupt():
    page = gzip_page(_catalogue_like_pieces(2), TOKEN_LENGTH)
    with pytest.raises(ValueError, match="not as long"):
        gzip_filled(page, b"short")
