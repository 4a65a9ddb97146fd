"""The storefront widget's application services: publishable keys, the widget config, and
the public calls a storefront makes with a publishable key."""
