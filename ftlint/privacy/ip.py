"""IP addresses in text: IPv4 and IPv6 candidates, validated with ipaddress, and the private,
loopback and version-number shapes that are not personal data (see ftlint.privacy.pii)."""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from ftlint.privacy.match import Match

_IPV4 = re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\w]|\.\d)")


# the same from its first dot (a literal: the engine jumps from dot to dot); the first octet is
# read back from there
_IPV4_TAIL = re.compile(r"\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\w]|\.\d)")


_IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:){1,7}(?::|(?::[0-9A-Fa-f]{1,4}){1,7}|[0-9A-Fa-f]{1,4})(?![\w:])")


_HEX = frozenset("0123456789abcdefABCDEF")


_HEX_COLON = frozenset("0123456789abcdefABCDEF:")


_COLON_PAIR = re.compile(r":[0-9A-Fa-f]{0,4}:")


_HEX_RUN = re.compile(r"[0-9A-Fa-f:]*")


_VERSION_BEFORE = re.compile(r"(?i)\b(?:v|version|ver\.?|release|build|firmware|os|ios|android|python|node)\s?$")


def ipv4s(text: str) -> Iterable[Match]:
    for m in _IPV4_TAIL.finditer(text):
        dot = m.start()
        s = dot
        while s > dot - 3 and s and text[s - 1].isdigit() and text[s - 1].isascii():
            s -= 1
        if s == dot or s and (text[s - 1].isalnum() or text[s - 1] in "._"):
            continue  # no first octet, or the quad goes on a word, a number or a version
        addr = text[s:m.end()]
        if _ipv4_ok(addr) and not _VERSION_BEFORE.search(text, max(0, s - 12), s):
            yield Match("ip", s, m.end(), addr)


def ipv6s(text: str) -> Iterable[Match]:
    # from each colon with hex digits before it, back to where those digits start; the regex is
    # only tried there (times such as 12:30:45 are tried and rejected by _ipv6_ok)
    i = text.find(":")
    while i >= 0:
        s = i
        while s > i - 5 and s and text[s - 1] in _HEX:
            s -= 1
        if s < i and i - s <= 4 and not (s and (text[s - 1].isalnum() or text[s - 1] in "_:.")):
            m = _IPV6.match(text, s)
            if m is not None:
                if _ipv6_ok(m.group()):
                    yield Match("ip", s, m.end(), m.group())
                i = text.find(":", m.end())
                continue
        i = text.find(":", i + 1)


_PRIVATE_V4 = tuple(ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"))


_PRIVATE_V6 = ipaddress.IPv6Network("fc00::/7")  # unique local addresses


def _ipv4_ok(addr: str) -> bool:
    try:
        ip = ipaddress.IPv4Address(addr)
    except ValueError:
        return False  # an octet above 255: a version or an id
    # 0.0.0.0, 127.0.0.1, 255.255.255.0 and the like are configuration, not anybody's address;
    # nor is a private network's (10/8, 172.16/12, 192.168/16, 100.64/10): it names a machine on
    # somebody's LAN, the same address in millions of them
    return not (ip.is_unspecified or ip.is_loopback or ip.is_multicast or ip.is_reserved or ip.is_link_local
                or addr.startswith("255.") or any(ip in net for net in _PRIVATE_V4))


def _ipv6_ok(text: str) -> bool:
    if text.count(":") < 2 or not any(c.isalpha() for c in text) and text.count(":") < 4:
        return False  # "12:30:00" is a time
    try:
        ip = ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return not (ip.is_unspecified or ip.is_loopback or ip.is_multicast or ip.is_link_local or ip in _PRIVATE_V6)
