"""Which addresses Flowyte may call on a merchant's behalf (webhook skills).

A merchant chooses the URL, so without a rule their webhook could reach into the network
Flowyte runs in: the database, the metadata service, another tenant's admin port. Public
addresses are fine; private, loopback, link-local and reserved ones only when the operator
allowed the host by name (FLOWYTE_ALLOWED_API_HOSTS), and loopback in demo mode.
"""

from __future__ import annotations

import ipaddress


def ip_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """`text` as an IP address (an IPv6 zone like `%eth0` ignored), or None if it is not one."""
    try:
        return ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return None


def may_call(host: str, address: str, allowed_hosts: tuple[str, ...], allow_loopback: bool) -> bool:
    if host.lower() in allowed_hosts:
        return True
    ip = ip_address(address)
    if ip is None:
        return False
    if ip.is_loopback:
        return allow_loopback
    return ip.is_global
