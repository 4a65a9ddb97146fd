"""Application services, one per resource: they own the database work (SQLAlchemy and
core/store) and return values; the gRPC servicers in core/api only translate protobuf to and
from them. Scopes and ownership are checked here or in core/domain, never only at the edge."""
