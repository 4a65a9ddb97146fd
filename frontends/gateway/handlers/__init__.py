"""Handlers: one module a resource, each turning a validated `Call` into core RPCs."""
