"""Rules of the product, free of gRPC and SQL: validation, scopes, keys, versions."""
