"""The voice frontend: phone calls (SIP) and browser calls into the core's `Converse`."""
