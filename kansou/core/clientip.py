"""The client's IP address, for every per-address limit (log-in, comments, uploads, mail).

Behind a TLS proxy every request's peer (``REMOTE_ADDR``) is the proxy, so per-address limits
would lock every reader out together. When the peer is one of ``KANSOU_TRUSTED_PROXIES``
(comma-separated addresses or networks), the client is read from ``X-Forwarded-For``: each proxy
appends the address it saw, so the right-most entry that is not itself a trusted proxy is the
first address no trusted party vouches for beyond. Entries to its left were written by the
client and are never believed. A request from any other peer is taken at its ``REMOTE_ADDR``,
whatever headers it sends.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def parse_proxies(text: str) -> tuple[Network, ...]:
    """``"10.0.0.1, 192.168.0.0/16"`` → networks; raises ``ValueError`` naming a bad entry.

    >>> parse_proxies("10.0.0.1")
    (IPv4Network('10.0.0.1/32'),)
    """
    networks = []
    for part in filter(None, (p.strip() for p in str(text).split(","))):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(
                f"KANSOU_TRUSTED_PROXIES: {part!r} is not an IP address or network"
            ) from None
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:10.0.0.1 is 10.0.0.1
    return mapped or address


def _trusted(address, proxies: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in proxies)


def client_ip(request: HttpRequest) -> str:
    """The address per-IP limits count: ``REMOTE_ADDR``, or behind a trusted proxy the
    right-most ``X-Forwarded-For`` address that is not a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = parse_proxies(getattr(settings, "KANSOU_TRUSTED_PROXIES", ""))
    if not proxies or not _trusted(_address(remote), proxies):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    client = remote
    for hop in reversed([h for h in hops if h]):
        address = _address(hop)
        if address is None:
            break  # not written by a proxy we trust: stop at the last address we could
        client = str(address)
        if not _trusted(address, proxies):
            break
    return client
