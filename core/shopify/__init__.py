"""The Shopify engine: GraphQL Admin API client, per-shop budget, order status."""
