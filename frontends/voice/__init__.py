"""The voice frontend: phone calls (SIP) and browser calls into the core's `Converse`.

`sip/` is the SIP user agent server and its RTP media; `speech/` the offline speech pipeline
(VAD, recognition, synthesis in worker processes). The process (`python -m frontends.voice`)
that joins them to the core per call comes next.
"""
