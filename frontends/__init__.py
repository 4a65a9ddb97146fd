"""Channel frontends: thin translators from a channel to the core's gRPC API."""
