"""The storefront widget's frontend: public routes, the widget's websocket, the inbox page."""
