"""Flowyte: the Python SDK, the `flowyte` command and the generated gRPC stubs."""
