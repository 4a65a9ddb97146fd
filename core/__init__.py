"""The Flowyte core: the gRPC server that owns every rule."""
