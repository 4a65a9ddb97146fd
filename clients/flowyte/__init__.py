"""Flowyte: the Python SDK, the `flowyte` command and the generated gRPC stubs."""

from flowyte.client import FlowyteClient, call_metadata

__all__ = ["FlowyteClient", "call_metadata"]
